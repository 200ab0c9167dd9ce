using Sitewire.Netfilter;
using Sitewire.Planner.Model;

namespace Sitewire.Planner.Tests.Model;

public class FlowSimulatorTests
{
    private static FlowTrace Run(Network network, string from, Address destination, Protocol protocol = Protocol.Tcp, ushort port = 80) =>
        new FlowSimulator(network).Simulate(network.Find(from)!, destination, protocol, port);

    [Fact]
    public void Seed_home_terminal_reaches_the_office_service_and_the_reply_comes_back()
    {
        var trace = Run(SeedNetwork.Build(), "pad", SeedNetwork.Service);

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal(["pad", "home", "relay", "office", "office-router", "web"], trace.Forward.Hops.Select(h => h.Host));
        Assert.Equal(["web", "office-router", "office", "relay", "home", "pad"], trace.Return!.Hops.Select(h => h.Host));
        Assert.Equal("192.168.200.2", trace.Forward.Hops[2].Packet.Source.ToString());
        Assert.Equal("172.18.3.16", trace.Forward.Hops[^1].Packet.Source.ToString());
        Assert.Equal("192.168.3.50", trace.Return.Hops[^1].Packet.Destination.ToString());
    }

    [Fact]
    public void Seed_section_3_without_office_masquerade_the_reply_has_no_route_and_masquerade_on_ens33_is_the_fix()
    {
        var trace = Run(SeedNetwork.Build(officeMasquerade: false), "pad", SeedNetwork.Service);

        Assert.False(trace.Holds);
        Assert.True(trace.Forward.Arrived);
        Assert.Equal("192.168.200.2", trace.Forward.Hops[^1].Packet.Source.ToString());
        var broken = trace.Return!.Breakage!;
        Assert.Equal("return", trace.BrokenDirection);
        Assert.Equal(BreakKind.InternetUplink, broken.Kind);
        Assert.Equal("office-router", broken.Host);
        Assert.Contains("reply from 172.17.50.1 to 192.168.200.2", broken.Reason, StringComparison.Ordinal);
        Assert.StartsWith("add masquerade on office:ens33", broken.Fix, StringComparison.Ordinal);
        Assert.Contains("(nft 'add table ip sitewire_nat; add chain ip sitewire_nat postrouting { type nat hook postrouting priority srcnat; }; add rule ip sitewire_nat postrouting oifname \"ens33\" masquerade' / iptables -t nat -A POSTROUTING -o ens33 -j MASQUERADE)", broken.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Office_reaches_the_home_nas_when_the_relay_routes_the_home_lan()
    {
        var trace = Run(SeedNetwork.Build(), "office", SeedNetwork.Nas, port: 5000);

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal(["office", "relay", "home", "nas"], trace.Forward.Hops.Select(h => h.Host));
    }

    [Fact]
    public void Relay_without_the_home_lan_in_home_peer_sends_the_nas_traffic_to_the_internet()
    {
        var trace = Run(SeedNetwork.Build(homeNasInAllowedIps: false), "office", SeedNetwork.Nas, port: 5000);

        var broken = trace.Forward.Breakage!;
        Assert.Equal(BreakKind.InternetUplink, broken.Kind);
        Assert.Equal("relay", broken.Host);
        Assert.Contains("AllowedIPs", broken.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlay_address_no_peer_claims_has_no_peer_for_destination()
    {
        var trace = Run(SeedNetwork.Build(), "pad", Address.Parse("192.168.200.3"), Protocol.Icmp, 0);

        var broken = trace.Forward.Breakage!;
        Assert.Equal(BreakKind.NoPeerForDestination, broken.Kind);
        Assert.Equal("relay", broken.Host);
        Assert.Contains("no peer for destination 192.168.200.3", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Relay_without_ip_forward_drops_and_names_the_sysctl()
    {
        var trace = Run(SeedNetwork.Build(relayForwarding: false), "pad", SeedNetwork.Service);

        var broken = trace.Forward.Breakage!;
        Assert.Equal(BreakKind.ForwardingDisabled, broken.Kind);
        Assert.Equal("relay", broken.Host);
        Assert.Contains("net.ipv4.ip_forward", broken.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Inner_source_outside_the_senders_allowed_ips_is_dropped_by_the_receiver()
    {
        var network = SeedNetwork.Build(homeNasInAllowedIps: false);
        network.Find("home")!.Ruleset = NetfilterRuleset.Empty;

        var trace = Run(network, "pad", SeedNetwork.Service);

        var broken = trace.Forward.Breakage!;
        Assert.Equal(BreakKind.SourceNotAllowed, broken.Kind);
        Assert.Equal("relay", broken.Host);
        Assert.Contains("source 192.168.3.50 not allowed by peer home's AllowedIPs on node relay", broken.Reason, StringComparison.Ordinal);
        Assert.Contains("masquerade it on home:wireguard0 (iptables -t nat -A POSTROUTING -o wireguard0 -j MASQUERADE / nft", broken.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Undeclared_service_port_is_refused_at_the_destination()
    {
        var trace = Run(SeedNetwork.Build(), "pad", SeedNetwork.Service, port: 443);

        Assert.Equal(BreakKind.ServiceNotOffered, trace.Forward.Breakage!.Kind);
        Assert.Equal("web", trace.Forward.Breakage.Host);
    }

    [Fact]
    public void A_host_reaches_its_own_service_from_its_own_address()
    {
        var trace = Run(SeedNetwork.Build(), "web", SeedNetwork.Service);

        Assert.True(trace.Holds, trace.Breakage?.Reason);
        Assert.Equal(SeedNetwork.Service, trace.Request.Source);
    }

    [Fact]
    public void Icmp_echo_is_answered_by_any_host()
    {
        Assert.True(Run(SeedNetwork.Build(), "pad", SeedNetwork.Service, Protocol.Icmp, 0).Holds);
    }

    [Fact]
    public void Forward_policy_drop_on_the_office_node_is_reported_there()
    {
        var network = SeedNetwork.Build();
        var office = network.Find("office")!;
        office.Ruleset = office.Ruleset.With(new NetfilterChain("ip", "filter", "FORWARD", "forward", "filter", "drop"));

        var broken = Run(network, "pad", SeedNetwork.Service).Forward.Breakage!;

        Assert.Equal(BreakKind.Filtered, broken.Kind);
        Assert.Equal("office", broken.Host);
    }

    [Fact]
    public void Firewalld_zones_forward_within_one_zone_only()
    {
        var network = SeedNetwork.Build();
        var firewalld = new Firewalld();
        firewalld.Zone("public").Interfaces.Add("eth0");
        firewalld.Zone("trusted").Interfaces.Add("wireguard0");
        network.Find("relay")!.Firewalld = firewalld;

        var split = Run(network, "pad", SeedNetwork.Service);
        firewalld.Zone("trusted").Interfaces.Clear();
        firewalld.Zone("public").Interfaces.Add("wireguard0");
        var joined = Run(network, "pad", SeedNetwork.Service);

        Assert.True(split.Holds, "both tunnel ends are wireguard0 on the relay: one zone");
        Assert.True(joined.Holds);
        firewalld.Zone("public").Forward = false;
        Assert.Contains("does not forward", Run(network, "pad", SeedNetwork.Service).Breakage!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_that_never_initiates_and_has_no_endpoint_cannot_be_reached()
    {
        var network = new Network();
        var left = network.AddHost("left", HostRole.Node);
        var right = network.AddHost("right", HostRole.Node);
        left.AnswersAnyPort = right.AnswersAnyPort = true;
        var leftWg = left.AddWireGuard("wg0", "L");
        leftWg.AddAddress(Address.Parse("10.9.0.1"), 24);
        var rightWg = right.AddWireGuard("wg0", "R");
        rightWg.AddAddress(Address.Parse("10.9.0.2"), 24);
        leftWg.AddPeer("right", "R", SeedNetwork.Prefixes("10.9.0.2/32"));
        rightWg.AddPeer("left", "L", SeedNetwork.Prefixes("10.9.0.1/32"));

        var broken = new FlowSimulator(network).Simulate(left, Address.Parse("10.9.0.2"), Protocol.Icmp, 0).Breakage!;

        Assert.Equal(BreakKind.NoSession, broken.Kind);
        Assert.Equal("left", broken.Host);
    }

    [Fact]
    public void Reply_over_a_session_the_other_side_opened_passes()
    {
        var network = new Network();
        var left = network.AddHost("left", HostRole.Node);
        var right = network.AddHost("right", HostRole.Node);
        left.AnswersAnyPort = right.AnswersAnyPort = true;
        var leftWg = left.AddWireGuard("wg0", "L");
        leftWg.AddAddress(Address.Parse("10.9.0.1"), 24);
        var rightWg = right.AddWireGuard("wg0", "R");
        rightWg.AddAddress(Address.Parse("10.9.0.2"), 24);
        leftWg.AddPeer("right", "R", SeedNetwork.Prefixes("10.9.0.2/32"), endpoint: "198.51.100.7:51820");
        rightWg.AddPeer("left", "L", SeedNetwork.Prefixes("10.9.0.1/32"));

        Assert.True(new FlowSimulator(network).Simulate(left, Address.Parse("10.9.0.2"), Protocol.Icmp, 0).Holds);
    }
}
