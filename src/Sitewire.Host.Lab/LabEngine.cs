using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

public enum LabEngineKind
{
    Sitewired,
    WireguardGo,
    Kernel,
}

/// <summary>
/// Which WireGuard implementation wg-quick uses in the lab: a userspace one (passed as
/// WG_QUICK_USERSPACE_IMPLEMENTATION) or the kernel module (when `ip link add type wireguard` works).
/// </summary>
public sealed record LabEngine(LabEngineKind Kind, string? UserspacePath)
{
    public string DisplayName => Kind switch
    {
        LabEngineKind.Sitewired => "sitewired",
        LabEngineKind.WireguardGo => "wireguard-go",
        _ => "kernel",
    };

    public IReadOnlyDictionary<string, string> Environment =>
        UserspacePath is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["WG_QUICK_USERSPACE_IMPLEMENTATION"] = UserspacePath };

    public static LabEngineKind Parse(string name) => name switch
    {
        "sitewired" => LabEngineKind.Sitewired,
        "wireguard-go" => LabEngineKind.WireguardGo,
        "kernel" => LabEngineKind.Kernel,
        _ => throw new ArgumentException($"--engine: unknown engine '{name}' (sitewired, wireguard-go, kernel)"),
    };

    /// <summary>Resolves the engine; throws with a message naming what is missing.</summary>
    public static LabEngine Resolve(LabEngineKind kind, string scratchNamespace) => kind switch
    {
        LabEngineKind.Sitewired => new(kind, FindBuilt("sitewired") ?? throw new FileNotFoundException(
            "--engine sitewired: no sitewired binary next to the CLI or in artifacts/bin (run ./sitewire build), or use --engine wireguard-go")),
        LabEngineKind.WireguardGo => new(kind, Executables.Which("wireguard-go") ?? throw new FileNotFoundException(
            "--engine wireguard-go: wireguard-go is not installed (Debian package wireguard-go)")),
        _ => KernelWireGuardError(scratchNamespace) is { } error
            ? throw new InvalidOperationException($"--engine kernel: this kernel has no WireGuard module ({error}); use --engine sitewired or wireguard-go")
            : new(kind, null),
    };

    /// <summary>Null when kernel WireGuard works in the namespace, else why not (e.g. "Unknown device type").</summary>
    public static string? KernelWireGuardError(string namespaceName)
    {
        var probe = Shell.Run("ip", "-n", namespaceName, "link", "add", "swprobe0", "type", "wireguard");
        if (probe.Succeeded)
        {
            Shell.Run("ip", "-n", namespaceName, "link", "del", "swprobe0");
            return null;
        }
        return probe.StandardError.Trim();
    }

    /// <summary>A binary of ours (sitewired, sitewire): next to the running one, else in artifacts/bin of an enclosing directory.</summary>
    internal static string? FindBuilt(string name)
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, name),
            .. Ancestors(AppContext.BaseDirectory).Select(d => Path.Combine(d, "artifacts", "bin", name)),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> Ancestors(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            yield return current.FullName;
        }
    }
}
