using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

public class TopologyBlueprintTests
{
    private static readonly LabBlueprint Seed = PlannedLab.Load(null).Blueprint;

    [Fact]
    public void The_relay_has_its_public_address_on_its_public_interface()
    {
        var uplink = Assert.Single(Seed.Wires, w => w.A.Host == "relay");
        Assert.Equal(("eth0", "203.0.113.10/32", "inet"), (uplink.A.Name, uplink.A.Addresses[0], uplink.B.Host));
    }

    [Fact]
    public void Nodes_behind_nat_sit_behind_a_masquerading_router()
    {
        var router = Seed.Host("home-nat");
        Assert.Equal(LabRole.NatRouter, router.Role);
        Assert.Contains("oifname \"wan0\" masquerade", router.NftScript, StringComparison.Ordinal);
        Assert.Contains(Seed.Wires, w => w.A is { Host: "home", Name: "wan0" } && w.B.Host == "home-nat");
    }

    [Fact]
    public void Lan_interfaces_keep_the_topology_names_and_routed_subnets_hang_off_the_lan_router()
    {
        Assert.Contains(Seed.Wires, w => w.A is { Host: "office", Name: "ens33" } && w.A.Addresses.SequenceEqual(["172.18.3.16/24"]));
        Assert.Contains(Seed.Wires, w => w.A is { Host: "home", Name: "ens3" });
        Assert.Contains(Seed.Host("office").Routes, r => r is { Destination: "172.17.50.0/24", Via: "172.18.3.1", Device: "ens33" });
        Assert.Contains(Seed.Wires, w => w.A.Host == "web" && w.A.Addresses.SequenceEqual(["172.17.50.1/24"]));
        Assert.Contains(Seed.Host("web").Routes, r => r is { Destination: "default", Via: "172.17.50.254" });
        Assert.Empty(Seed.Host("office-r0").Routes);
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
        Assert.Contains("PrivateKey", Seed.Tunnels[0].ConfigText, StringComparison.Ordinal);
    }
}
