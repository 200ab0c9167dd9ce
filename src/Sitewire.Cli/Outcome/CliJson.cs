using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sitewire.Cli.Doctor;
using Sitewire.Cli.Lab;
using Sitewire.Cli.Trace;
using Sitewire.Cli.Verify;

namespace Sitewire.Cli.Outcome;

/// <summary>
/// The serializer of every `--json` document, generated at build time (the CLI is published with Native AOT, which has no
/// reflection-based serializer): indented, snake_case member names, quotes, arrows and apostrophes written as themselves.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FailureJson))]
[JsonSerializable(typeof(VerifyJson))]
[JsonSerializable(typeof(TraceJson))]
[JsonSerializable(typeof(DoctorJson))]
[JsonSerializable(typeof(LabRunJson))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>The version every document carries (docs/cli.md, schemas/cli.schema.json); a change an older reader would misread takes the next number.</summary>
    public const int Version = 1;

    public static CliJson Documents { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
