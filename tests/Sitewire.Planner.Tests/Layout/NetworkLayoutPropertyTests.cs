using System.Net;
using CsCheck;
using Sitewire.Config.Topology;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;
using Sitewire.Planner.Tests.Properties;

namespace Sitewire.Planner.Tests.Layout;

/// <summary>
/// Over the random designs of the planner's properties: the layout is stable (the same topology and plan give the same
/// layout) and complete (every host sits where the topology says, reaches its gateway on its segment, routers route
/// back what the topology declares, every node has its uplink), and the lab's own addresses stay off the user's.
/// </summary>
public class NetworkLayoutPropertyTests
{
    [Fact]
    public void The_layout_of_a_design_is_the_same_every_time_it_is_derived() =>
        RandomLanDesign.Gen.Sample(design =>
        {
            if (Load(design.Yaml()) is not { } topology)
            {
                return;
            }
            Assert.Equal(LayoutText.Of(NetworkLayoutBuilder.Build(Plan(topology))), LayoutText.Of(NetworkLayoutBuilder.Build(Plan(topology))));
        }, iter: 200);

    [Fact]
    public void Every_varied_lan_design_is_laid_out_completely() =>
        RandomLanDesign.Gen.Sample(design =>
        {
            if (Load(design.Yaml()) is { } topology)
            {
                AssertComplete(topology, NetworkLayoutBuilder.Build(Plan(topology)), design.Yaml());
            }
        }, iter: 300);

    [Fact]
    public void Every_hub_or_mesh_design_is_laid_out_completely() =>
        RandomDesign.Gen.Sample(design =>
        {
            var topology = Load(design.Yaml()) ?? throw new InvalidOperationException(design.Yaml());
            AssertComplete(topology, NetworkLayoutBuilder.Build(Plan(topology)), design.Yaml());
        }, iter: 100);

    private static void AssertComplete(Topology topology, NetworkLayout layout, string yaml)
    {
        var why = "\n" + yaml + "\n" + LayoutText.Of(layout);
        foreach (var node in topology.Nodes)
        {
            var host = layout.Host(node.Name);
            var uplink = host.Interface(host.Uplink!);
            Assert.True(uplink.Segment == layout.Internet.Segment || layout.Members(uplink.Segment).Any(m => m.Host.Role == LayoutRole.NatRouter)
                || layout.Internet.Attachments.Any(a => a.Host == node.Name), $"{node.Name}'s uplink {uplink.Name} leads nowhere{why}");
            Assert.Contains(host.Routes, r => r is { Uplink: true, Destination.PrefixLength: 0, Via: not null } && r.Interface == uplink.Name);
            Assert.Equal(host.Interfaces.Count, host.Interfaces.Select(i => i.Name).Distinct().Count());
            if (node.Lan is { } lan && lan.InterfaceAddresses.Any())
            {
                var lanInterface = host.Interface(lan.Interface);
                Assert.Equal(lan.InterfaceAddresses.Select(a => $"{a.Address}/{a.PrefixLength}"), lanInterface.Addresses.Take(lan.InterfaceAddresses.Count()).Select(a => a.ToString()));
            }
        }
        foreach (var lanHost in topology.Hosts)
        {
            var host = layout.Host(lanHost.Name);
            var eth0 = Assert.Single(host.Interfaces);
            Assert.Equal(lanHost.Addresses, eth0.Addresses.Select(a => a.Address));
            var lan = topology.NodeNamed(lanHost.Site).Lan!;
            foreach (var address in lanHost.Addresses)
            {
                var gateway = lanHost.Gateway == GatewayKind.Node ? lan.AddressOfFamily(address) : lanHost.Router;
                if (gateway is null || gateway.AddressFamily != address.AddressFamily)
                {
                    continue;
                }
                Assert.Contains(host.Routes, r => r.Destination.PrefixLength == 0 && gateway.Equals(r.Via));
                if (lan.SegmentOf(gateway) == lan.SegmentOf(address))
                {
                    Assert.True(layout.Members(eth0.Segment).Any(m => m.Host != host && m.Interface.Addresses.Any(a => a.Address.Equals(gateway))),
                        $"{lanHost.Name}'s gateway {gateway} is not on its segment {eth0.Segment}{why}");
                }
            }
        }
        foreach (var lanHost in topology.Hosts.Where(h => h is { Gateway: GatewayKind.RouterWithRoute, Router: not null }))
        {
            var site = topology.NodeNamed(lanHost.Site);
            var router = layout.Hosts.FirstOrDefault(h => h.Role == LayoutRole.LanRouter && h.Interfaces.Any(i => i.Addresses.Any(a => a.Address.Equals(lanHost.Router))));
            var family = router?.Interfaces[0].Addresses[0].Address.AddressFamily;
            if (router is null || !site.Lan!.InterfaceAddresses.Any(a => a.Address.AddressFamily == family))
            {
                continue;
            }
            Assert.True(router.Forwarding);
            var connected = router.Interfaces.SelectMany(i => i.Addresses).Select(a => LanSegment.OwnLink(a.Address, a.PrefixLength).Prefix).ToList();
            var remote = PeerLinks.OverlayPrefixes(topology.Network).Concat(topology.Nodes.Where(n => n != site).SelectMany(n => n.LanPrefixes))
                .Where(p => p.BaseAddress.AddressFamily == family && !connected.Contains(p));
            Assert.All(remote, prefix => Assert.Contains(router.Routes, r => r.Destination == prefix));
        }
        foreach (var node in topology.Nodes.Where(n => n.BehindNat && n.Endpoint is not null))
        {
            Assert.Contains(layout.Hosts, h => h.Nat is { } nat && nat.Forwards.Any(f => f.PublicPort == node.Endpoint!.Port));
        }
        AssertOwnAddressesAvoidTheUsers(topology, layout, why);
    }

    /// <summary>The internet gateway, picked public addresses and the links behind NAT routers lie in no prefix the topology uses.</summary>
    private static void AssertOwnAddressesAvoidTheUsers(Topology topology, NetworkLayout layout, string why)
    {
        var users = PeerLinks.OverlayPrefixes(topology.Network).Concat(topology.Nodes.SelectMany(n => n.LanPrefixes))
            .Concat(topology.Nodes.SelectMany(n => n.Lan?.InterfaceAddresses.Select(a => LanSegment.OwnLink(a.Address, a.PrefixLength).Prefix) ?? [])).ToList();
        var literals = topology.Nodes.Select(n => n.Endpoint?.Host).OfType<string>().ToHashSet();
        IEnumerable<IPAddress> own =
        [
            layout.Internet.Gateway,
            .. layout.Internet.Attachments.SelectMany(a => a.Addresses).Where(a => !literals.Contains(a.ToString())),
            .. layout.Hosts.Where(h => h.Role == LayoutRole.NatRouter).SelectMany(h => h.Interfaces.Skip(1)).SelectMany(i => i.Addresses).Select(a => a.Address),
        ];
        foreach (var address in own)
        {
            Assert.False(users.Any(p => p.Contains(address)), $"the layout's own {address} lies in a prefix of the topology{why}");
        }
    }

    private static Topology? Load(string yaml) => TopologyLoader.LoadText(yaml, "random.yaml") is { Succeeded: true } loaded ? loaded.Topology : null;

    private static NetworkPlan Plan(Topology topology) => NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));
}
