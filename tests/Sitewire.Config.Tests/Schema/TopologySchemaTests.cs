using System.Text.Json;

namespace Sitewire.Config.Tests.Schema;

public sealed class TopologySchemaTests
{
    public static TheoryData<string> Examples() =>
        [.. Directory.GetFiles(RepositoryPaths.Examples, "*.yaml").Select(path => Path.GetFileName(path)).Order()];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_validates_against_the_published_schema(string example)
    {
        var result = PublishedSchema.Evaluate(File.ReadAllText(RepositoryPaths.Example(example)));

        Assert.True(result.IsValid, PublishedSchema.Describe(result));
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
        Assert.False(PublishedSchema.Evaluate(yaml).IsValid);
        Assert.False(Sitewire.Config.Topology.TopologyLoader.LoadText(yaml, "t.yaml").Succeeded);
    }

    [Fact]
    public void Every_property_has_a_description()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PublishedSchema.Path));
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
}
