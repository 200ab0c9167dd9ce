using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Sitewire.Config.Tests.Schema;

/// <summary>schemas/topology.schema.json, loaded once (the schema registry refuses a second schema with its $id).</summary>
internal static class PublishedSchema
{
    public static string Path { get; } = System.IO.Path.Combine(RepositoryPaths.Root, "schemas", "topology.schema.json");

    public static JsonSchema Schema { get; } = JsonSchema.FromFile(Path);

    /// <summary>Whether the document validates: the flag output, which stops at the first error (<see cref="Evaluate(JsonNode)"/> says which).</summary>
    public static bool IsValid(JsonNode document)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return Schema.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
    }

    public static EvaluationResults Evaluate(JsonNode document)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return Schema.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    public static EvaluationResults Evaluate(string yaml) => Evaluate(YamlToJson.Convert(yaml)!);

    public static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(detail => detail.Errors is { Count: > 0 }).SelectMany(detail =>
            detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key}: {error.Value}")));
}
