using System.Net;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Planner.Tests.Layout;

/// <summary>Issue 16, class 8: the layout's own addresses and names are picked around the topology's, and one-armed nodes and several sites behind one public address are laid out as they are.</summary>
public class LabAddressTests
{
    [Fact]
    public void Its_own_addresses_and_names_avoid_the_ones_the_topology_uses()
    {
        var layout = NetworkLayoutBuilder.Build(TopologyFixtures.PlanText("""
            network: { overlay: 100.64.0.0/24, shape: hub, hub: relay }
            nodes:
              - { name: relay, role: relay, endpoint: "198.51.100.11:51820" }
              - { name: public, role: site }
              - { name: home, role: site, behind_nat: true, lan: { interface: wan0, address: 198.18.0.1/24 } }
            """));

        Assert.Equal(IPAddress.Parse("198.18.1.1"), layout.Internet.Gateway);
        Assert.Equal(["public: 198.51.100.10", "home/nat: 198.51.100.12"],
            layout.Internet.Attachments.Where(a => a.Host != "relay").Select(a => $"{a.Host}: {string.Join(",", a.Addresses)}"));
        Assert.Equal("eth0 100.64.1.2/24", Describe(layout.Host("home").Interface("eth0")));
        Assert.Equal("wan0 198.18.0.1/24", Describe(layout.Host("home").Interface("wan0")));
    }

    [Fact]
    public void A_one_armed_node_has_its_lan_and_its_public_side_on_one_interface()
    {
        var layout = NetworkLayoutBuilder.Build(TopologyFixtures.PlanText("""
            network: { overlay: 10.200.0.0/24, shape: hub, hub: vps }
            nodes:
              - { name: vps, role: relay, endpoint: "203.0.113.20:51820", public_interface: eth0, lan: { interface: eth0, address: 10.30.0.1/24 } }
              - { name: home, role: site, behind_nat: true, public_interface: eth0, lan: { interface: eth0, address: 192.168.50.1/24 } }
            """));

        var vps = Assert.Single(layout.Host("vps").Interfaces);
        Assert.Equal("eth0 10.30.0.1/24,203.0.113.20/32", Describe(vps));
        Assert.Contains(layout.Internet.Attachments, a => a is { Host: "vps", Interface: "eth0", Segment: "vps/lan" });
        var home = Assert.Single(layout.Host("home").Interfaces);
        Assert.Equal("eth0 192.168.50.1/24,100.64.0.2/24", Describe(home));
        Assert.Contains(layout.Members("home/lan"), m => m.Host.Name == "home/nat" && m.Interface.Addresses[0].ToString() == "100.64.0.1/24");
        Assert.Contains(layout.Host("home").Routes, r => r.ToString() == "0.0.0.0/0 via 100.64.0.1 dev eth0");
    }

    [Fact]
    public void Sites_behind_one_public_address_share_its_router_each_forwarded_its_port()
    {
        var layout = NetworkLayoutBuilder.Build(TopologyFixtures.PlanText("""
            network: { overlay: 10.200.0.0/24, listen_port: 51820, shape: hub, hub: relay }
            nodes:
              - { name: relay, role: relay, endpoint: "203.0.113.30:51820" }
              - { name: branch1, role: site, behind_nat: true, endpoint: "198.51.100.50:51821" }
              - { name: branch2, role: site, behind_nat: true, endpoint: "198.51.100.50:51822" }
            """));

        var router = Assert.Single(layout.Hosts, h => h.Role == LayoutRole.NatRouter);
        Assert.Equal(["51821 → 100.64.0.2:51820", "51822 → 100.64.1.2:51820"], router.Nat!.Forwards.Select(f => $"{f.PublicPort} → {f.To}:{f.ToPort}"));
        Assert.Equal(["wan0", "lan0", "lan1"], router.Interfaces.Select(i => i.Name));
    }

    private static string Describe(LayoutInterface laidOut) => $"{laidOut.Name} {string.Join(",", laidOut.Addresses)}";
}
