using Sitewire.Config.Topology;
using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

public class DualStackBlueprintTests
{
    private static readonly LabBlueprint Blueprint = Create();

    [Fact]
    public void The_node_lan_interface_and_the_hosts_get_their_ipv6_addresses_beside_the_ipv4_ones()
    {
        Assert.Contains(Blueprint.Wires, w => w.A is { Host: "hq", Name: "eth1" } && w.A.Addresses.SequenceEqual(["10.10.0.1/24", "fd00:10:10::1/64"]));
        Assert.Contains(Blueprint.Wires, w => w.A is { Host: "web", Name: "eth0" } && w.A.Addresses.SequenceEqual(["10.10.0.20/24", "fd00:10:10::20/64"]));
        Assert.Contains(Blueprint.Wires, w => w.A is { Host: "files", Name: "eth0" } && w.A.Addresses.SequenceEqual(["fd00:10:10::30/64"]));
    }

    [Fact]
    public void Hosts_route_each_of_their_families_through_the_node()
    {
        Assert.Equal(["default via 10.10.0.1", "::/0 via fd00:10:10::1"], Blueprint.Host("web").Routes.Select(r => $"{r.Destination} via {r.Via}"));
        Assert.Equal(["::/0 via fd00:10:10::1"], Blueprint.Host("files").Routes.Select(r => $"{r.Destination} via {r.Via}"));
    }

    [Fact]
    public void A_subnet_behind_an_ipv6_lan_router_hangs_off_it_and_the_node_routes_to_it()
    {
        Assert.Contains(Blueprint.Host("hq").Routes, r => r is { Destination: "fd00:10:11::/64", Via: "fd00:10:10::fe", Device: "eth1" });
        Assert.Contains(Blueprint.Wires, w => w.A is { Host: "hq/router", Name: "lan0" } && w.A.Addresses.SequenceEqual(["fd00:10:10::fe/64"]));
        Assert.Contains(Blueprint.Wires, w => w.A is { Host: "hq/router", Name: "lan1" } && w.A.Addresses.SequenceEqual(["fd00:10:11:0:ffff:ffff:ffff:fffe/64"]));
        Assert.Equal("1", Blueprint.Host("hq/router").Sysctls["net/ipv6/conf/all/forwarding"]);
    }

    /// <summary>A host's declared services on each of its addresses, and nothing more (issue 16.10: a flow to 8443 is refused); a node's flow ports on the flow's family.</summary>
    [Fact]
    public void Services_answer_on_every_address_of_a_host_and_nodes_on_the_flow_family()
    {
        Assert.Equal(["10.10.0.20", "fd00:10:10::20"], Blueprint.Services.Where(s => s is { Host: "web", Port: 80 }).Select(s => s.Address));
        Assert.Equal(["fd00:10:10::30"], Blueprint.Services.Where(s => s.Host == "files").Select(s => s.Address));
        Assert.DoesNotContain(Blueprint.Services, s => s is { Host: "web", Port: 8443 });
        Assert.Equal(["0.0.0.0", "::"], Blueprint.Services.Where(s => s is { Host: "hq", Port: 8080 }).Select(s => s.Address));
    }

    [Fact]
    public void Flows_go_to_the_address_of_their_family()
    {
        Assert.Equal(
            ["10.10.0.20", "fd00:10:10::20", "fd00:10:10::30", "10.60.0.10", "fd00:60::a", "fd00:10:10::20"],
            Blueprint.Flows.Select(f => f.ToAddress));
        Assert.Equal(LabProtocol.Http, Blueprint.Flows[1].Protocol);
    }

    [Fact]
    public void A_lan_with_ipv6_only_is_laid_out_without_ipv4()
    {
        var blueprint = Create(Topology.Replace("      address: 10.10.0.1/24\n", "", StringComparison.Ordinal)
            .Replace("subnets: [10.10.0.0/24, ", "subnets: [", StringComparison.Ordinal)
            .Replace("address: 10.10.0.20, address_v6: \"fd00:10:10::20\"", "address: \"fd00:10:10::20\"", StringComparison.Ordinal)
            .Replace("  - { from: pc, to: \"web:80/tcp\" }\n", "", StringComparison.Ordinal)
            .Replace("  - { from: pc, to: \"hq:8080/tcp\" }\n", "", StringComparison.Ordinal));

        Assert.Contains(blueprint.Wires, w => w.A is { Host: "hq", Name: "eth1" } && w.A.Addresses.SequenceEqual(["fd00:10:10::1/64"]));
        Assert.Contains(blueprint.Wires, w => w.A is { Host: "web", Name: "eth0" } && w.A.Addresses.SequenceEqual(["fd00:10:10::20/64"]));
        Assert.Equal(["::/0 via fd00:10:10::1"], blueprint.Host("web").Routes.Select(r => $"{r.Destination} via {r.Via}"));
    }

    private static LabBlueprint Create(string topology = Topology)
    {
        var loaded = TopologyLoader.LoadText(topology, "dualstack.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        return PlannedLab.From(loaded.Topology).Blueprint;
    }

    private const string Topology = """
        network:
          overlay: 10.60.0.0/24
          overlay_v6: fd00:60::/64
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.60:51820
            address: 10.60.0.1
          - name: hq
            address: 10.60.0.10
            lan:
              interface: eth1
              address: 10.10.0.1/24
              address_v6: fd00:10:10::1/64
              subnets: [10.10.0.0/24, fd00:10:10::/64, { prefix: "fd00:10:11::/64", via: "fd00:10:10::fe" }]
          - name: branch
            behind_nat: true
            lan:
              interface: eth1
              address: 10.20.0.1/24
              address_v6: fd00:10:20::1/64
        hosts:
          - { name: web, site: hq, address: 10.10.0.20, address_v6: "fd00:10:10::20", services: [80/tcp/http] }
          - { name: files, site: hq, address: "fd00:10:10::30", services: [445/tcp] }
          - { name: pc, site: branch, address: 10.20.0.50, address_v6: "fd00:10:20::50" }
        flows:
          - { from: pc, to: "web:80/tcp" }
          - { from: pc, to: "web:80/tcp", family: ipv6 }
          - { from: pc, to: "files:445/tcp" }
          - { from: pc, to: "hq:8080/tcp" }
          - { from: pc, to: "hq:8080/tcp", family: ipv6 }
          - { from: pc, to: "web:8443/tcp", family: ipv6 }
        """;
}
