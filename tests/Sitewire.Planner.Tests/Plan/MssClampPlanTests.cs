using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>The MSS clamp per OS family: on every node with a LAN, both directions, per family; none with `mss_clamp: false` or without a LAN.</summary>
public sealed class MssClampPlanTests
{
    private static NodePlan Node(string example, string name, Func<string, string>? edit = null)
    {
        var path = PlanFixtures.Example(example);
        var topology = edit is null
            ? PlanFixtures.Load(path)
            : Sitewire.Config.Topology.TopologyLoader.LoadText(edit(File.ReadAllText(path)), example).Topology!;
        return NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology)).NodeNamed(name);
    }

    [Fact]
    public void An_iptables_node_clamps_syns_out_of_the_tunnel_to_the_route_mtu_and_into_it_to_the_tunnel_mss_per_family()
    {
        var branch = Node("dualstack.yaml", "branch");

        Assert.Equal(new MssClamp("wg0", 1420), branch.Rules.Clamp);
        Assert.Contains("iptables -t mangle -C FORWARD -o %i -p tcp --tcp-flags SYN,RST SYN -m comment --comment sitewire-%i -j TCPMSS --clamp-mss-to-pmtu 2>/dev/null || iptables -t mangle -A FORWARD -o %i -p tcp --tcp-flags SYN,RST SYN -m comment --comment sitewire-%i -j TCPMSS --clamp-mss-to-pmtu", branch.Hooks.PostUp);
        Assert.Contains(branch.Hooks.PostUp, line => line.StartsWith("iptables -t mangle -C FORWARD -i %i -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1381:65535 ", StringComparison.Ordinal) && line.EndsWith("-j TCPMSS --set-mss 1380", StringComparison.Ordinal));
        Assert.Contains(branch.Hooks.PostUp, line => line.StartsWith("ip6tables -t mangle -C FORWARD -i %i -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1361:65535 ", StringComparison.Ordinal) && line.EndsWith("-j TCPMSS --set-mss 1360", StringComparison.Ordinal));
        Assert.Contains("ip6tables -t mangle -D FORWARD -o %i -p tcp --tcp-flags SYN,RST SYN -m comment --comment sitewire-%i -j TCPMSS --clamp-mss-to-pmtu 2>/dev/null || true", branch.Hooks.PostDown);
    }

    [Fact]
    public void An_nftables_node_clamps_in_its_own_table_beside_firewalld()
    {
        var hq = Node("dualstack.yaml", "hq");

        var table = Assert.Single(hq.Hooks.PostUp, line => line.StartsWith("nft ", StringComparison.Ordinal));
        Assert.Contains("chain mss_clamp { type filter hook forward priority mangle; policy accept; oifname \"wg0\" tcp flags syn / syn,rst tcp option maxseg size set rt mtu;", table, StringComparison.Ordinal);
        Assert.Contains("meta nfproto ipv4 iifname \"wg0\" tcp flags syn / syn,rst tcp option maxseg size 1381-65535 tcp option maxseg size set 1380;", table, StringComparison.Ordinal);
        Assert.Contains("meta nfproto ipv6 iifname \"wg0\" tcp flags syn / syn,rst tcp option maxseg size 1361-65535 tcp option maxseg size set 1360;", table, StringComparison.Ordinal);
        Assert.Contains("nft delete table inet sitewire_wg0 2>/dev/null || true", hq.Hooks.PostDown);
    }

    [Fact]
    public void The_clamp_follows_the_tunnel_mtu()
    {
        var home = Node("seed.yaml", "home", text => text.Replace("mtu: 1420", "mtu: 1280", StringComparison.Ordinal));

        Assert.Contains(home.Hooks.PostUp, line => line.Contains("--mss 1241:65535", StringComparison.Ordinal) && line.EndsWith("--set-mss 1240", StringComparison.Ordinal));
    }

    [Fact]
    public void No_clamp_without_a_lan_or_with_mss_clamp_false()
    {
        Assert.Null(Node("seed.yaml", "relay").Rules.Clamp);
        var home = Node("seed.yaml", "home", text => text.Replace("    nat: masquerade\n\nhosts:", "    nat: masquerade\n    mss_clamp: false\n\nhosts:", StringComparison.Ordinal));

        Assert.Null(home.Rules.Clamp);
        Assert.DoesNotContain(home.Hooks.PostUp.Concat(home.Hooks.PostDown), line => line.Contains("TCPMSS", StringComparison.Ordinal));
    }
}
