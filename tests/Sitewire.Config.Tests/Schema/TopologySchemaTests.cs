using System.Text.Json;
using Json.Schema;

namespace Sitewire.Config.Tests.Schema;

public sealed class TopologySchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(RepositoryPaths.Root, "schemas", "topology.schema.json"));

    public static TheoryData<string> Examples() =>
        [.. Directory.GetFiles(RepositoryPaths.Examples, "*.yaml").Select(path => Path.GetFileName(path)).Order()];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_validates_against_the_published_schema(string example)
    {
        var result = Evaluate(File.ReadAllText(RepositoryPaths.Example(example)));

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("network:\n  overlay: 10.0.0.0/24\n  shape: star\nnodes:\n  - name: a\n")]
    [InlineData("network:\n  overlay: 10.0.0.0/24\nnodes:\n  - name: a\n    colour: red\n")]
    [InlineData("network:\n  overlay: 10.0.0.0/24\n  listen_port: many\nnodes:\n  - name: a\n")]
    [InlineData("network:\n  overlay: 10.0.0.0/24\nnodes: []\n")]
    [InlineData("nodes:\n  - name: a\n")]
    [InlineData("network:\n  overlay: 10.0.0.0/24\nnodes:\n  - name: a\n    lan:\n      interface: eth1\n      address_v6: fd00::1\n")]
    [InlineData("network:\n  overlay: 10.0.0.0/24\nnodes:\n  - name: a\nflows:\n  - from: a\n    to: a\n    family: inet6\n")]
    public void The_schema_rejects_what_the_loader_rejects(string yaml)
    {
        Assert.False(Evaluate(yaml).IsValid);
        Assert.False(Sitewire.Config.Topology.TopologyLoader.LoadText(yaml, "t.yaml").Succeeded);
    }

    [Fact]
    public void Every_property_has_a_description()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "topology.schema.json")));
        var missing = new List<string>();
        Walk(document.RootElement, "#", missing);

        Assert.Empty(missing);
    }

    private static void Walk(JsonElement element, string path, List<string> missing)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (element.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var described = property.Value.TryGetProperty("description", out _)
                    || (property.Value.TryGetProperty("$ref", out var reference) && reference.GetString()!.StartsWith("#/$defs/", StringComparison.Ordinal));
                if (!described)
                {
                    missing.Add($"{path}/properties/{property.Name}");
                }
            }
        }
        foreach (var property in element.EnumerateObject())
        {
            Walk(property.Value, $"{path}/{property.Name}", missing);
        }
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = YamlToJson.Convert(yaml);
        using var document = JsonDocument.Parse(json!.ToJsonString());
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(detail => detail.Errors is { Count: > 0 }).SelectMany(detail =>
            detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Key}: {error.Value}")));
}
