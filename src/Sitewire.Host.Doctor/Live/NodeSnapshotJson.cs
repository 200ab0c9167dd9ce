using System.Text.Json;
using System.Text.Json.Serialization;
using Sitewire.Netfilter;

namespace Sitewire.Host.Live;

/// <summary>
/// The snapshot file's JSON: camelCase fields, a family as "ipv4"/"ipv6". Reading is strict: every field must be there (null
/// where it may be), unknown fields and nulls where none may be are refused.
/// </summary>
[JsonSerializable(typeof(NodeSnapshotDocument))]
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(IpFamilyJsonConverter)])]
internal sealed partial class NodeSnapshotJson : JsonSerializerContext;

/// <summary>An <see cref="IpFamily"/> as nftables' nfproto names it ("ipv4", "ipv6"); anything else is refused with the value named.</summary>
internal sealed class IpFamilyJsonConverter : JsonConverter<IpFamily>
{
    public override IpFamily Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return IpFamily.Both.FirstOrDefault(family => family.NfProto == text)
            ?? throw new JsonException($"'{text ?? reader.TokenType.ToString()}' is not an IP family (ipv4 or ipv6)");
    }

    public override void Write(Utf8JsonWriter writer, IpFamily value, JsonSerializerOptions options) => writer.WriteStringValue(value.NfProto);
}
