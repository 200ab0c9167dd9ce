using Sitewire.Config.Topology;
using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

public class TopologyBlueprintTests
{
    private static readonly LabBlueprint Seed = PlannedLab.Load(null).Blueprint;

    [Fact]
    public void The_relay_has_its_public_address_on_its_public_interface()
    {
        var uplink = Assert.Single(Seed.Wires, w => w.A.Host == "relay");
        Assert.Equal(("eth0", "203.0.113.10/32", TopologyBlueprint.InternetHost), (uplink.A.Name, uplink.A.Addresses[0], uplink.B.Host));
    }

    [Fact]
    public void Nodes_behind_nat_sit_behind_a_masquerading_router()
    {
        var router = Seed.Host("home/nat");
        Assert.Equal(LabRole.NatRouter, router.Role);
        Assert.Contains("oifname \"wan0\" masquerade", router.NftScript, StringComparison.Ordinal);
        Assert.Contains(Seed.Wires, w => w.A is { Host: "home", Name: "eth0" } && w.B.Host == "home/nat");
    }

    [Fact]
    public void Lan_interfaces_keep_the_topology_names_and_routed_subnets_hang_off_the_lan_router()
    {
        Assert.Contains(Seed.Wires, w => w.A is { Host: "office", Name: "ens33" } && w.A.Addresses.SequenceEqual(["172.18.3.16/24"]));
        Assert.Contains(Seed.Wires, w => w.A is { Host: "home", Name: "ens3" });
        Assert.Contains(Seed.Host("office").Routes, r => r is { Destination: "172.17.50.0/24", Via: "172.18.3.1", Device: "ens33" });
        Assert.Contains(Seed.Wires, w => w.A.Host == "web" && w.A.Addresses.SequenceEqual(["172.17.50.1/24"]));
        Assert.Contains(Seed.Host("web").Routes, r => r is { Destination: "default", Via: "172.17.50.254" });
        Assert.Empty(Seed.Host("office/router").Routes);
    }

    [Fact]
    public void Flows_carry_intent_and_prediction_and_services_answer_them()
    {
        var flow = Assert.Single(Seed.Flows, f => f.FromHost == "pad" && f.Port == 80 && f.ToAddress == "172.17.50.1");
        Assert.Equal((LabProtocol.Http, true, true), (flow.Protocol, flow.ExpectAllowed, flow.PredictedAllowed));
        var deny = Assert.Single(Seed.Flows, f => f.FromHost == "web");
        Assert.Equal((LabProtocol.Icmp, false, false), (deny.Protocol, deny.ExpectAllowed, deny.PredictedAllowed));
        Assert.Contains(Seed.Services, s => s is { Host: "web", Address: "172.17.50.1", Port: 80 });
        Assert.Contains(Seed.Services, s => s is { Host: "office", Address: "0.0.0.0", Port: 80 });
    }

    [Fact]
    public void Every_node_runs_the_planners_config_and_the_relay_comes_up_first()
    {
        Assert.Equal(["relay"], Seed.Tunnels.Where(t => t.Dialed).Select(t => t.Host));
        Assert.All(Seed.Tunnels, t => Assert.Equal("wireguard0", t.InterfaceName));
        Assert.All(Seed.Tunnels, t => Assert.NotNull(t.Config.Interface.PrivateKey));
    }

    [Fact]
    public void A_lan_router_shared_by_router_with_route_hosts_routes_each_remote_prefix_back_once()
    {
        var loaded = TopologyLoader.LoadText(SharedRouters, "shared-routers.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        var blueprint = PlannedLab.From(loaded.Topology).Blueprint;

        string[] routesBack = ["10.200.0.0/24 via 10.2.0.1 lan0", "10.1.0.0/24 via 10.2.0.1 lan0"];
        Assert.Equal(["site2/router", "site2/router2"], blueprint.Hosts.Where(h => h.Role == LabRole.LanRouter).Select(h => h.Name).Order());
        Assert.All(blueprint.Hosts.Where(h => h.Role == LabRole.LanRouter), router =>
            Assert.Equal(routesBack, router.Routes.Select(r => $"{r.Destination} via {r.Via} {r.Device}")));
    }

    [Fact]
    public void A_nat_router_forwards_the_endpoint_port_to_the_port_the_node_listens_on()
    {
        const string yaml = """
            network:
              overlay: 10.200.0.0/24
              shape: mesh
              hub: relay
            nodes:
              - name: relay
                role: relay
                endpoint: 203.0.113.1:51820
              - name: branch
                behind_nat: true
                endpoint: branch.example.net:51823
            """;
        var loaded = TopologyLoader.LoadText(yaml, "forward.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));

        var router = PlannedLab.From(loaded.Topology).Blueprint.Host("branch/nat");

        Assert.Contains("udp dport 51823 dnat to 100.64.0.2:51820;", router.NftScript, StringComparison.Ordinal);
    }

    /// <summary>Two hosts behind the on-link router 10.2.0.254 and two behind the router of the routed subnet 10.2.5.0/24, all `router-with-route`.</summary>
    private const string SharedRouters = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
          - name: site1
            role: site
            behind_nat: true
            lan: { interface: eth1, address: 10.1.0.1/24, subnets: [10.1.0.0/24] }
          - name: site2
            role: site
            behind_nat: true
            lan:
              interface: eth1
              address: 10.2.0.1/24
              subnets: [10.2.0.0/24, { prefix: 10.2.5.0/24, via: 10.2.0.253 }]
        hosts:
          - { name: h1, site: site1, address: 10.1.0.11, gateway: node }
          - { name: h2a, site: site2, address: 10.2.0.11, gateway: router-with-route, router: 10.2.0.254 }
          - { name: h2b, site: site2, address: 10.2.0.12, gateway: router-with-route, router: 10.2.0.254 }
          - { name: h5a, site: site2, address: 10.2.5.11, gateway: router-with-route, router: 10.2.5.254 }
          - { name: h5b, site: site2, address: 10.2.5.12, gateway: router-with-route, router: 10.2.5.254 }
        flows:
          - from: h2a
            to: h1
        """;
}
