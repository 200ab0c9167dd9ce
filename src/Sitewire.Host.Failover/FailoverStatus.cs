using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sitewire.Host.Failover;

/// <summary>What the agent last knew, as its state file holds it for `sitewire failover status` (JSON, replaced whole).</summary>
public sealed record FailoverStatus(
    [property: JsonPropertyName("interface")] string Interface,
    [property: JsonPropertyName("active")] string Active,
    [property: JsonPropertyName("switches")] int Switches,
    [property: JsonPropertyName("last_switch")] string? LastSwitch,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated,
    [property: JsonPropertyName("relays")] IReadOnlyList<RelayStatus> Relays)
{
    public string ToJson() => JsonSerializer.Serialize(this, FailoverStatusJson.Default.FailoverStatus);

    public static FailoverStatus? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, FailoverStatusJson.Default.FailoverStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record RelayStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("up")] bool Up,
    [property: JsonPropertyName("misses")] int Misses,
    [property: JsonPropertyName("last_answer")] DateTimeOffset? LastAnswer);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(FailoverStatus))]
internal sealed partial class FailoverStatusJson : JsonSerializerContext;
