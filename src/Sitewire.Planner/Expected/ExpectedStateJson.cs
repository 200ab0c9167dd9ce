using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Expected;

/// <summary>
/// The expected-state file's JSON: camelCase fields, enums as lowercase words, prefixes as CIDR strings. Reading is strict:
/// every field must be there (null where it may be), unknown fields and nulls where none may be are refused.
/// </summary>
[JsonSerializable(typeof(ExpectedState))]
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(PrefixJsonConverter), typeof(LowercaseEnum<RuleBackend>), typeof(LowercaseEnum<FlowExpectation>), typeof(LowercaseEnum<TransportProtocol>)])]
internal sealed partial class ExpectedStateJson : JsonSerializerContext;

/// <summary>An <see cref="IPNetwork"/> as "10.0.0.0/24"; anything else is refused with the value named.</summary>
internal sealed class PrefixJsonConverter : JsonConverter<IPNetwork>
{
    public override IPNetwork Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null && IPNetwork.TryParse(text, out var prefix) && prefix.ToString() == text
            ? prefix
            : throw new JsonException($"'{text ?? reader.TokenType.ToString()}' is not a prefix in CIDR form with no host bits (e.g. 10.0.0.0/24)");
    }

    public override void Write(Utf8JsonWriter writer, IPNetwork value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>An enum as its lowercase name ("iptables", "allow", "tcp"); numbers are refused.</summary>
internal sealed class LowercaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
