using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>
/// An error that holds only because a field was misspelled or invalid (so read as absent or defaulted) says that it follows
/// from that field (issue 18: one typo gave a cascade of errors that did not name their cause).
/// </summary>
public sealed class CascadingErrorTests
{
    private const string WithoutRelay = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
        nodes:
          - name: one
            endpoint: 198.51.100.1:51820
          - name: two
            endpoint: 198.51.100.2:51820
        """;

    private static string[] Messages(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");
        Assert.False(result.Succeeded);
        return [.. result.Diagnostics.Select(d => $"{d.Field}: {d.Message}")];
    }

    [Fact]
    public void A_misspelled_shape_is_the_cause_of_the_hub_error_that_follows_it()
    {
        var messages = Messages(WithoutRelay.Replace("  shape: hub", "  shap: hub", StringComparison.Ordinal));

        Assert.Equal(
        [
            "network.shap: unknown field 'shap'; did you mean 'shape'?",
            "network.hub: a hub needs a relay, and no node has role relay (follows from the unknown field 'shap' at 3:3)",
        ], messages);
    }

    [Fact]
    public void An_invalid_shape_is_the_cause_of_the_hub_error_that_follows()
    {
        var messages = Messages(WithoutRelay.Replace("  shape: hub", "  shape: hubb", StringComparison.Ordinal));

        Assert.Equal(2, messages.Length);
        Assert.StartsWith("network.shape: 'hubb' is not a valid value", messages[0], StringComparison.Ordinal);
        Assert.Equal("network.hub: a hub needs a relay, and no node has role relay (follows from network.shape at 3:10)", messages[1]);
    }

    [Fact]
    public void The_hub_error_of_a_well_spelled_topology_names_no_cause() =>
        Assert.Equal(["network.hub: a hub needs a relay, and no node has role relay"], Messages(WithoutRelay));

    [Fact]
    public void An_unknown_field_that_is_no_near_miss_is_the_cause_of_nothing()
    {
        var messages = Messages(WithoutRelay.Replace("  shape: hub", "  colour: hub", StringComparison.Ordinal));

        Assert.Equal(
        [
            "network.hub: a hub needs a relay, and no node has role relay",
            "network.colour: unknown field 'colour'",
        ], messages);
    }
}
