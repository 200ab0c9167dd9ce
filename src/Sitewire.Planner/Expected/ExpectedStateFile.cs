using System.Text.Encodings.Web;
using System.Text.Json;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Planner.Expected;

/// <summary>
/// The expected-state file (docs/expected-state.md): `plan` writes it as <c>NODE/sitewire-IFACE.json</c>, the node's README
/// installs it as <see cref="InstalledPath"/>, where `sitewire doctor IFACE` looks for it. Reading refuses, as a diagnostic
/// naming the file, line, column and field: malformed JSON, another <see cref="Version"/>, a missing or unknown field, a
/// value of the wrong kind, and a file for another interface.
/// </summary>
public static class ExpectedStateFile
{
    /// <summary>The format's version; a change that an older doctor would misread takes the next number.</summary>
    public const int Version = 1;

    public static string FileName(string interfaceName) => $"sitewire-{interfaceName}.json";

    /// <summary>Where the node's README installs it and doctor looks for it: beside the wg-quick config.</summary>
    public static string InstalledPath(string interfaceName) => Path.Combine("/etc/wireguard", FileName(interfaceName));

    /// <summary>Base64 keys and file names as they are ("+" unescaped): the file is read by people and doctor, never embedded in HTML.</summary>
    private static readonly ExpectedStateJson Json = new(new JsonSerializerOptions(ExpectedStateJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string Write(ExpectedState state) => JsonSerializer.Serialize(state, Json.ExpectedState) + "\n";

    /// <summary>Reads and checks the file; <paramref name="interfaceName"/>, when given, is the interface it must describe.</summary>
    public static ExpectedState Read(string path, string? interfaceName)
    {
        var bytes = File.ReadAllBytes(path);
        var state = Parse(bytes, path);
        if (interfaceName is not null && state.Interface != interfaceName)
        {
            throw VersionedJsonFile.Refused(path, bytes, "interface", $"the file describes interface '{state.Interface}' (node {state.Node}), not {interfaceName}", FileName(interfaceName) + " for " + interfaceName);
        }
        return state;
    }

    /// <summary>The state in <paramref name="bytes"/>; <paramref name="path"/> names the file in diagnostics.</summary>
    public static ExpectedState Parse(byte[] bytes, string path) =>
        VersionedJsonFile.Parse(bytes, path, Json.ExpectedState, Version, "the expected-state object of `sitewire plan`", "re-plan with this sitewire and install the new file");
}
