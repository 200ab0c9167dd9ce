using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

public sealed class HubRelaysLoaderTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
          hub: [relay-a, relay-b]
        nodes:
          - name: relay-a
            role: relay
            endpoint: 198.51.100.1:51820
          - name: relay-b
            role: relay
            endpoint: 198.51.100.2:51820
          - name: site
            lan:
              interface: eth1
              address: 10.1.0.1/24
        """;

    [Fact]
    public void The_two_relays_example_names_both_relays_in_order_of_preference()
    {
        var result = TopologyLoader.Load(RepositoryPaths.Example("two-relays.yaml"));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["relay-a", "relay-b"], result.Topology.HubRelays.Select(relay => relay.Name));
        Assert.Equal("relay-a", result.Topology.Relay!.Name);
        Assert.True(result.Topology.HasFailover);
    }

    [Fact]
    public void A_list_of_one_relay_is_the_same_as_its_name()
    {
        var listed = TopologyLoader.LoadText(Valid.Replace("hub: [relay-a, relay-b]", "hub: [relay-a]", StringComparison.Ordinal), "t.yaml");
        var named = TopologyLoader.LoadText(Valid.Replace("hub: [relay-a, relay-b]", "hub: relay-a", StringComparison.Ordinal), "t.yaml");

        Assert.True(listed.Succeeded && named.Succeeded, string.Join("\n", listed.Diagnostics.Concat(named.Diagnostics)));
        Assert.Equal(["relay-a"], listed.Topology.HubRelays.Select(relay => relay.Name));
        Assert.Equal(named.Topology.HubRelays.Select(relay => relay.Name), listed.Topology.HubRelays.Select(relay => relay.Name));
        Assert.False(listed.Topology.HasFailover);
    }

    [Theory]
    [InlineData("hub: [relay-a, relay-b]", "hub: [relay-a, relay-c]", 4, 18, "network.hub[1]", "no node named 'relay-c'")]
    [InlineData("hub: [relay-a, relay-b]", "hub: [relay-a, site]", 4, 18, "network.hub[1]", "node 'site' has role site")]
    [InlineData("hub: [relay-a, relay-b]", "hub: [relay-a, relay-a]", 4, 18, "network.hub[1]", "relay 'relay-a' is named twice")]
    [InlineData("hub: [relay-a, relay-b]", "hub: [relay-a, 7]", 4, 18, "network.hub[1]", "'7' is not a node name")]
    [InlineData("hub: [relay-a, relay-b]", "hub: []", 4, 8, "network.hub", "an empty list of relays")]
    [InlineData("shape: hub", "shape: mesh", 4, 8, "network.hub", "a mesh names one relay")]
    [InlineData("    endpoint: 198.51.100.2:51820\n", "", 9, 5, "nodes[1].endpoint", "relay 'relay-b' has no public endpoint, so no site can fail over to it")]
    public void A_wrong_relay_list_is_reported_at_the_name(string find, string replace, int line, int column, string field, string message) =>
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);
}
