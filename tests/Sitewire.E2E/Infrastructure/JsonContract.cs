using System.Text.Json;
using Json.Schema;

namespace Sitewire.E2E.Infrastructure;

/// <summary>The published schemas/cli.schema.json is the contract of every `--json` document: real output must validate, as the named kind.</summary>
internal static class JsonContract
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(RepositoryPaths.Root, "schemas", "cli.schema.json"));

    /// <summary>The member only that kind of document has (the schema's oneOf lets exactly one kind match).</summary>
    private static readonly Dictionary<string, string> KindMember = new()
    {
        ["verify"] = "passed",
        ["trace"] = "holds",
        ["doctor"] = "healthy",
        ["lab"] = "meetsTopology",
        ["failure"] = "status",
    };

    public static void AssertValid(string json, string kind)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = results.IsValid ? [] : (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).ToList();
        Assert.True(errors.Count == 0, $"{kind} document does not match schemas/cli.schema.json:\n{string.Join('\n', errors)}\n{json}");
        Assert.True(document.RootElement.TryGetProperty(KindMember[kind], out _), $"not a {kind} document:\n{json}");
    }
}
