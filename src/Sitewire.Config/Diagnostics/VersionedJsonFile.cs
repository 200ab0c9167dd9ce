using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sitewire.Config.Diagnostics;

/// <summary>
/// Reads a JSON file of sitewire's own with a top-level "version": the version is checked before the rest, so that a file of
/// another version is named as such, not as a list of fields this version does not know; then the document is read with a
/// strict source-generated contract. Every refusal is a diagnostic naming the file, line, column and field.
/// </summary>
public static class VersionedJsonFile
{
    /// <param name="what">What the file should hold, for a file that is no JSON object ("the expected-state object of `sitewire plan`").</param>
    /// <param name="otherVersion">What to do with a file of another version.</param>
    public static T Parse<T>(byte[] bytes, string path, JsonTypeInfo<T> contract, int version, string what, string otherVersion)
    {
        try
        {
            CheckUtf8(bytes, path);
            CheckVersion(bytes, path, version, what, otherVersion);
            return JsonSerializer.Deserialize(bytes, contract) ?? throw Refused(path, bytes, "(file)", $"the file holds null, not {what}", "a JSON object");
        }
        catch (JsonException invalid)
        {
            var field = invalid.Path is null or "$" ? "(file)" : invalid.Path[2..];
            var message = invalid.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd(' ', '|', '.');
            throw new DiagnosticsException([new Diagnostic(
                new SourceLocation(path, (int)(invalid.LineNumber ?? 0) + 1, (int)(invalid.BytePositionInLine ?? 0) + 1), field, message)]);
        }
    }

    /// <summary>A refusal of <paramref name="field"/> at byte <paramref name="offset"/> of the file.</summary>
    public static DiagnosticsException Refused(string path, byte[] bytes, string field, string message, string expected, long offset = 0)
    {
        var before = bytes.AsSpan(0, (int)offset);
        var line = before.Count((byte)'\n') + 1;
        var column = (int)offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return new DiagnosticsException([new Diagnostic(new SourceLocation(path, line, column), field, message, expected)]);
    }

    /// <summary>JSON is UTF-8: a byte that is not refuses the file at its place (the JSON reader would throw on it, not refuse it).</summary>
    private static void CheckUtf8(byte[] bytes, string path)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes.AsSpan(offset), out _, out var length) != OperationStatus.Done)
            {
                throw Refused(path, bytes, "(file)", $"byte 0x{bytes[offset]:x2} at offset {offset} is not UTF-8", "a UTF-8 JSON file", offset);
            }
            offset += length;
        }
    }

    private static void CheckVersion(byte[] bytes, string path, int version, string what, string otherVersion)
    {
        var expected = version.ToString(CultureInfo.InvariantCulture);
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Refused(path, bytes, "(file)", "not a JSON object", what);
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isVersion = reader.ValueTextEquals("version"u8);
            reader.Read();
            if (isVersion)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var found) || found != version)
                {
                    throw Refused(path, bytes, "version", $"version {Encoding.UTF8.GetString(reader.ValueSpan)} is not one this sitewire reads: {otherVersion}", expected, reader.TokenStartIndex);
                }
                return;
            }
            reader.Skip();
        }
        throw Refused(path, bytes, "version", "missing", expected);
    }
}
