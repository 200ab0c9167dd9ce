using System.Net;
using Sitewire.Config.Failover;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>Two relays (examples/two-relays.yaml): who peers with whom, the agent's configuration and unit, the README.</summary>
public sealed class FailoverPlanTests
{
    private static readonly IPNetwork[] Carried = [IPNetwork.Parse("192.168.200.0/24"), IPNetwork.Parse("172.18.3.0/24"), IPNetwork.Parse("172.17.50.0/24")];

    private static NetworkPlan TwoRelays()
    {
        var topology = PlanFixtures.Load(PlanFixtures.Example("two-relays.yaml"));
        return NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));
    }

    [Fact]
    public void A_site_peers_with_both_relays_the_preferred_one_carrying_the_prefixes_the_standby_only_its_own_address()
    {
        var home = TwoRelays().NodeNamed("home").Config.Peers;

        Assert.Equal(["relay-a", "relay-b"], home.Select(peer => peer.Name));
        Assert.Equal(Carried, home[0].AllowedIps);
        Assert.Equal([IPNetwork.Parse("192.168.200.253/32")], home[1].AllowedIps);
        Assert.Equal(["203.0.113.10:51820", "198.51.100.20:51820"], home.Select(peer => peer.Endpoint));
        Assert.All(home, peer => Assert.Equal(20, peer.PersistentKeepalive));
    }

    [Fact]
    public void Each_relay_peers_with_every_site_directly_forwards_and_does_not_peer_the_other_relay()
    {
        var plan = TwoRelays();

        foreach (var relay in new[] { "relay-a", "relay-b" })
        {
            var relayPlan = plan.NodeNamed(relay);
            Assert.Equal(["office", "home"], relayPlan.Config.Peers.Select(peer => peer.Name));
            Assert.Equal([IPNetwork.Parse("192.168.200.2/32"), IPNetwork.Parse("192.168.3.0/24")], relayPlan.Config.Peers[1].AllowedIps);
            Assert.Contains(new ForwardAccept("wireguard0", "wireguard0"), relayPlan.Rules.Firewall.ForwardAccepts);
            Assert.Null(relayPlan.Failover);
        }
    }

    [Fact]
    public void A_site_gets_the_agent_configuration_which_the_agent_reads_back_unchanged()
    {
        var plan = TwoRelays();
        var home = plan.NodeNamed("home");
        var keys = PlanFixtures.TestKeys(plan.Topology);

        var failover = Assert.IsType<FailoverSettings>(home.Failover);
        Assert.Equal(Carried, failover.Carried);
        Assert.Equal(["relay-a", "relay-b"], failover.Relays.Select(relay => relay.Name));
        Assert.Equal(keys.PublicKey("relay-b"), failover.Relays[1].PublicKey);
        Assert.Equal(IPAddress.Parse("192.168.200.254"), failover.Relays[0].Probe);
        Assert.Equal([IPNetwork.Parse("192.168.200.254/32")], failover.Relays[0].Own);
        var text = FailoverConfigWriter.Write(failover, ["header"]);
        var read = FailoverConfigLoader.LoadText(text, "home.conf");
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        Assert.Equal(text, FailoverConfigWriter.Write(read.Settings, ["header"]));
    }

    [Fact]
    public void The_plan_directory_holds_each_sites_agent_files_and_a_readme_that_says_what_a_relay_death_does()
    {
        var plan = TwoRelays();
        var files = PlanOutputBuilder.Build(plan, PlanFixtures.TestKeys(plan.Topology)).ToDictionary(file => file.RelativePath, file => System.Text.Encoding.UTF8.GetString(file.Content));

        Assert.Contains("home/sitewire-failover.conf", files.Keys);
        Assert.Contains("ExecStart=/usr/local/bin/sitewire failover run /etc/sitewire/failover-%i.conf", files["office/sitewire-failover@.service"], StringComparison.Ordinal);
        Assert.DoesNotContain("relay-a/sitewire-failover.conf", files.Keys);
        Assert.Contains("## 7. When a relay dies", files["home/README.md"], StringComparison.Ordinal);
        Assert.Contains("systemctl enable --now sitewire-failover@wireguard0", files["home/README.md"], StringComparison.Ordinal);
        Assert.Contains("When a relay dies", files["relay-b/README.md"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_relay_plan_has_no_agent()
    {
        var topology = PlanFixtures.Load(PlanFixtures.Example("seed.yaml"));
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));
        var files = PlanOutputBuilder.Build(plan, PlanFixtures.TestKeys(topology)).Select(file => file.RelativePath);

        Assert.All(plan.Nodes, node => Assert.Null(node.Failover));
        Assert.DoesNotContain(files, path => path.Contains("failover", StringComparison.Ordinal));
    }

    [Fact]
    public void A_phone_of_a_two_relay_hub_gets_no_agent_and_stays_on_the_preferred_relay()
    {
        var text = File.ReadAllText(PlanFixtures.Example("two-relays.yaml")).Replace("\nnodes:\n", "\nnodes:\n  - name: phone\n    role: client\n    os: android\n    address: 192.168.200.30\n", StringComparison.Ordinal);
        var loaded = Sitewire.Config.Topology.TopologyLoader.LoadText(text, "two-relays.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        var plan = NetworkPlanner.Plan(loaded.Topology, new PlanOptions(), PlanFixtures.TestKeys(loaded.Topology));
        var phone = plan.Nodes.Single(node => node.Name == "phone");
        var files = PlanOutputBuilder.Build(plan, PlanFixtures.TestKeys(loaded.Topology)).Select(file => file.RelativePath);

        Assert.Null(phone.Failover);
        Assert.DoesNotContain(files, path => path.StartsWith("phone/", StringComparison.Ordinal) && path.Contains("failover", StringComparison.Ordinal));
        Assert.Contains(IPNetwork.Parse("192.168.200.0/24"), phone.Config.Peers.Single(peer => peer.Name == "relay-a").AllowedIps);
    }
}
