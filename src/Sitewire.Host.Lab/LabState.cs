using System.Text.Json;
using System.Text.Json.Serialization;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Lab;

/// <summary>
/// Everything a lab created, written to /run/sitewire/labs/ID/state.json before each object is created,
/// so `sitewire lab down` or the next `sitewire lab` can remove it after a crash or kill.
/// </summary>
public sealed class LabState
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int OwnerPid { get; init; }
    public required string OwnerCommandLine { get; init; }
    /// <summary>The owner's start time (clock ticks after boot) with <see cref="OwnerPid"/>, to tell it from a later process with its PID.</summary>
    public ulong OwnerStartTime { get; init; }
    public bool Keep { get; set; }
    public string Engine { get; set; } = "";
    /// <summary>The userspace engine wg-quick runs (WG_QUICK_USERSPACE_IMPLEMENTATION), null for kernel WireGuard.</summary>
    public string? EnginePath { get; set; }
    /// <summary>The flows with the verifier's predictions, so `sitewire lab check` can try them again on a kept lab.</summary>
    public List<LabFlow> Flows { get; init; } = [];
    /// <summary>Lab host name → namespace name.</summary>
    public Dictionary<string, string> Namespaces { get; init; } = [];
    /// <summary>Node name → its WireGuard interface inside its namespace.</summary>
    public Dictionary<string, string> Tunnels { get; init; } = [];

    /// <summary>Per node, the public keys of the peers it forgets before each flow (<see cref="LabSessionReset"/>).</summary>
    public Dictionary<string, List<string>> ForgetBeforeEachFlow { get; init; } = [];
    public List<LabProcess> Processes { get; init; } = [];

    [JsonIgnore]
    public string Directory => LabPaths.LabDirectory(Id);

    /// <summary>Whether the process that started the lab still runs (the same process, not a later one with its PID).</summary>
    [JsonIgnore]
    public bool OwnerIsRunning => ProcessTable.IsAlive(OwnerPid, OwnerCommandLine, OwnerStartTime);

    [JsonIgnore]
    public bool IsOwnedByThisProcess => OwnerPid == Environment.ProcessId && OwnerIsRunning;

    public string NodeDirectory(string host) => Path.Combine(Directory, "nodes", host);

    /// <summary>The directory bind-mounted over /run/wireguard for a node, where its UAPI socket lives.</summary>
    public string UapiDirectory(string host) => Path.Combine(NodeDirectory(host), "wireguard");

    /// <summary>The node's wg-quick file, as `wg-quick up` read it.</summary>
    public string ConfigPath(string host) => Path.Combine(NodeDirectory(host), Tunnels[host] + ".conf");

    public IReadOnlyDictionary<string, string> EngineEnvironment =>
        EnginePath is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["WG_QUICK_USERSPACE_IMPLEMENTATION"] = EnginePath };

    public string NamespaceOf(string host) =>
        Namespaces.TryGetValue(host, out var ns) ? ns : throw new KeyNotFoundException($"lab {Id} has no host '{host}' (hosts: {string.Join(", ", Namespaces.Keys)})");

    public void Save()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, "state.json.tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, LabStateJson.Default.LabState));
        File.Move(temporary, Path.Combine(Directory, "state.json"), overwrite: true);
    }

    public static LabState? Load(string id)
    {
        var path = Path.Combine(LabPaths.LabDirectory(id), "state.json");
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), LabStateJson.Default.LabState) : null;
    }

    /// <summary>Every lab with a state file, oldest first.</summary>
    public static IReadOnlyList<LabState> All() =>
        !System.IO.Directory.Exists(LabPaths.Root)
            ? []
            : [.. System.IO.Directory.GetDirectories(LabPaths.Root)
                .OrderBy(System.IO.Directory.GetCreationTimeUtc)
                .Select(d => Load(Path.GetFileName(d)))
                .OfType<LabState>()];
}

/// <summary>A process the lab started (or found in its namespaces), with its command line and start time to recognise it later.</summary>
public sealed record LabProcess(int Pid, string CommandLine, ulong StartTime);

[JsonSerializable(typeof(LabState))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LabStateJson : JsonSerializerContext;
