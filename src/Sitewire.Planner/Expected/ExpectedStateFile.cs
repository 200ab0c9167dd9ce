using System.Text;
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
            throw Refused(path, bytes, "interface", $"the file describes interface '{state.Interface}' (node {state.Node}), not {interfaceName}", FileName(interfaceName) + " for " + interfaceName);
        }
        return state;
    }

    /// <summary>The state in <paramref name="bytes"/>; <paramref name="path"/> names the file in diagnostics.</summary>
    public static ExpectedState Parse(byte[] bytes, string path)
    {
        try
        {
            CheckVersion(bytes, path);
            return JsonSerializer.Deserialize(bytes, Json.ExpectedState)
                ?? throw Refused(path, bytes, "(file)", "the file holds null, not an expected state", "a JSON object");
        }
        catch (JsonException invalid)
        {
            var field = invalid.Path is null or "$" ? "(file)" : invalid.Path[2..];
            var message = invalid.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd(' ', '|', '.');
            throw new DiagnosticsException([new Diagnostic(
                new SourceLocation(path, (int)(invalid.LineNumber ?? 0) + 1, (int)(invalid.BytePositionInLine ?? 0) + 1), field, message)]);
        }
    }

    /// <summary>
    /// The top-level "version" must be there and be <see cref="Version"/>, checked before the rest so that a file of another
    /// version is named as such, not as a list of fields this version does not know.
    /// </summary>
    private static void CheckVersion(byte[] bytes, string path)
    {
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Refused(path, bytes, "(file)", "not a JSON object", "the expected-state object of `sitewire plan`");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "version")
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version) || version != Version)
                {
                    throw Refused(path, bytes, "version", $"version {Encoding.UTF8.GetString(reader.ValueSpan)} is not one this sitewire reads: re-plan with this sitewire and install the new file",
                        Version.ToString(System.Globalization.CultureInfo.InvariantCulture), reader.TokenStartIndex);
                }
                return;
            }
            reader.Skip();
        }
        throw Refused(path, bytes, "version", "missing", Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static DiagnosticsException Refused(string path, byte[] bytes, string field, string message, string expected, long offset = 0)
    {
        var before = bytes.AsSpan(0, (int)offset);
        var line = before.Count((byte)'\n') + 1;
        var column = (int)offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return new DiagnosticsException([new Diagnostic(new SourceLocation(path, line, column), field, message, expected)]);
    }
}
