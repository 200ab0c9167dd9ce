using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>The node fields that keep a deployed config as it is: persistent_keepalive, allowed_ips, drop, post_up, post_down.</summary>
public sealed class KeptFactsLoaderTests
{
    private static readonly string Valid = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.Config.Tests", "Topology", "kept-facts.yaml"));

    [Fact]
    public void The_kept_facts_load_into_the_nodes_overrides()
    {
        var result = TopologyLoader.LoadText(Valid, "t.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var (relay, site) = (result.Topology.NodeNamed("relay").Kept, result.Topology.NodeNamed("site").Kept);
        var missing = Assert.Single(relay.AllowedIps);
        Assert.Equal(("site", IPNetwork.Parse("10.21.0.0/24")), (missing.Peer, Assert.Single(missing.Missing)));
        Assert.Equal(["iptables -t nat -A POSTROUTING -s 10.99.0.0/24 -o eth0 -j MASQUERADE"], relay.PostUp);
        Assert.Single(relay.PostDown);
        Assert.Null(relay.PersistentKeepalive);
        Assert.Equal(0, site.PersistentKeepalive);
        Assert.Equal(IPNetwork.Parse("0.0.0.0/0"), Assert.Single(Assert.Single(site.AllowedIps).Extra));
        Assert.Equal(
            [new DropRule(FilterChain.Forward, "wg0", "eth1", TransportProtocol.Tcp, 445, null, null), new DropRule(FilterChain.Input, null, null, null, null, IPNetwork.Parse("10.99.0.0/24"), null)],
            site.Drops);
        Assert.Same(NodeOverrides.None, TopologyLoader.LoadText(File.ReadAllText(RepositoryPaths.Example("seed.yaml")), "seed.yaml").Topology!.Nodes[0].Kept);
    }

    [Theory]
    [InlineData("        port: 445\n", "        port: 445\n        source: 10.0.0.1/8\n", 36, 17, "nodes[1].drop[0].source", "host bits")]
    [InlineData("        protocol: tcp\n", "", 34, 15, "nodes[1].drop[0].port", "a port without a protocol")]
    [InlineData("      - chain: input\n", "      - chain: input\n        out: eth1\n", 37, 14, "nodes[1].drop[1].out", "an input rule has no outgoing interface")]
    [InlineData("      - peer: site\n", "      - peer: nowhere\n", 14, 9, "nodes[0].allowed_ips[0].peer", "no node named 'nowhere'")]
    [InlineData("      - peer: relay\n", "      - peer: site\n", 28, 9, "nodes[1].allowed_ips[0].peer", "'site' is the node itself")]
    [InlineData("        missing: [10.21.0.0/24]\n", "        missing: []\n", 14, 9, "nodes[0].allowed_ips[0]", "the change changes nothing")]
    [InlineData("-o eth0 -j MASQUERADE\"\n    post_down", "-o eth0 -j MASQUERADE # note\"\n    post_down", 17, 9, "nodes[0].post_up[0]", "not a hook line")]
    [InlineData("persistent_keepalive: 0", "persistent_keepalive: 70000", 23, 27, "nodes[1].persistent_keepalive", "out of range")]
    public void A_wrong_kept_fact_is_reported_where_it_is(string find, string replace, int line, int column, string field, string message) =>
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);
}
