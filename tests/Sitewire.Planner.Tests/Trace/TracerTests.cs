using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Tests.Verify;
using Sitewire.Planner.Trace;

namespace Sitewire.Planner.Tests.Trace;

public class TracerTests
{
    private static readonly Sitewire.Planner.Plan.NetworkPlan Seed = TopologyFixtures.PlanFile(TopologyFixtures.Example("seed.yaml"));

    private static FlowTarget Target(string text) =>
        Tracer.ResolveTarget(Seed.Topology, "pad", text, ipv6: false, out var error) ?? throw new InvalidOperationException(error);

    [Theory]
    [InlineData("web:80/tcp", "172.17.50.1", 80, TransportProtocol.Tcp)]
    [InlineData("office", "192.168.200.1", null, TransportProtocol.Tcp)]
    [InlineData("172.17.50.1:53/udp", "172.17.50.1", 53, TransportProtocol.Udp)]
    public void Targets_resolve_hosts_nodes_and_addresses(string text, string address, int? port, TransportProtocol protocol)
    {
        var target = Target(text);

        Assert.Equal(address, target.Address.ToString());
        Assert.Equal(port, target.Port);
        if (port is not null)
        {
            Assert.Equal(protocol, target.Protocol);
        }
    }

    [Theory]
    [InlineData("nosuchhost:80")]
    [InlineData("web:99999/tcp")]
    [InlineData("web:80/sctp")]
    public void Bad_targets_are_explained(string text)
    {
        Assert.Null(Tracer.ResolveTarget(Seed.Topology, "pad", text, ipv6: false, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Trace_from_the_office_to_the_home_nas_lists_every_hop_both_ways()
    {
        var trace = Tracer.Trace(Seed, "desk", Target("nas:5000/tcp"), out _)!;

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal(["desk", "office", "relay", "home", "nas"], trace.Forward.Hops.Select(h => h.Host));
        Assert.Equal(["nas", "home", "relay", "office", "desk"], trace.Return!.Hops.Select(h => h.Host));
        Assert.Equal("192.168.3.36", trace.Forward.Hops[^1].Packet.Source.ToString());
        Assert.Contains("masquerade", trace.Forward.Hops[3].Decision, StringComparison.Ordinal);
        Assert.Contains("conntrack restores destination 172.18.3.50", trace.Return.Hops[1].Decision, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 16.2: a node with a LAN has its uplink beside it, as on the real host, so it reaches its relay's public
    /// address through the internet, not by asking its LAN for it; and a LAN host's way out names both interfaces.
    /// </summary>
    [Fact]
    public void A_node_with_a_lan_reaches_the_relays_public_address_through_its_own_uplink()
    {
        var trace = Tracer.Trace(Seed, "office", Target("203.0.113.10"), out _)!;

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal(["office", "office/nat", "relay"], trace.Forward.Hops.Select(h => h.Host));
        Assert.Equal("eth0", trace.Forward.Hops[0].OutInterface);
        var office = ModelBuilder.Build(Seed).Find("office")!;
        Assert.Equal(["ens33", "eth0", "wireguard0"], office.Interfaces.Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>Issue 16 ("also"): a trace names what accepted the packet at each node's filter and the outer UDP path of each tunnel hop.</summary>
    [Fact]
    public void A_trace_names_the_filter_that_accepted_each_packet_and_the_outer_udp_path()
    {
        var trace = Tracer.Trace(Seed, "desk", Target("nas:5000/tcp"), out _)!;

        var office = trace.Forward.Hops[1].Decision;
        Assert.Contains("forward accepted by", office, StringComparison.Ordinal);
        Assert.Contains("outer UDP to endpoint 203.0.113.10:51820", office, StringComparison.Ordinal);
        Assert.Contains("outer UDP to where home last sent from (no endpoint; home keeps the session up, PersistentKeepalive 20)", trace.Forward.Hops[2].Decision, StringComparison.Ordinal);
        Assert.Contains("forward accepted by established/related", trace.Return!.Hops[1].Decision, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_origin_is_explained()
    {
        Assert.Null(Tracer.Trace(Seed, "nobody", Target("web:80/tcp"), out var error));
        Assert.Contains("no host or node named 'nobody'", error, StringComparison.Ordinal);
    }
}
