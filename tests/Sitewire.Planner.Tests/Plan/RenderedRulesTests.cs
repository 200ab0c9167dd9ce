using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>
/// Runs the rendered PostUp lines twice and PostDown once with the real iptables and nft, inside a
/// fresh network namespace of its own (`unshare --net`, gone when the shell exits) that has the node's LAN interface
/// (one end of a veth pair: PostUp sets its send_redirects), and checks that
/// up twice leaves each rule once and down leaves none (on a `docker: true` node, its accepts in DOCKER-USER too).
/// </summary>
[Trait("Needs", "root")]
public sealed class RenderedRulesTests
{
    [Theory]
    [InlineData("seed.yaml", "home", "iptables-save")]
    [InlineData("seed.yaml", "office", "nft list ruleset")]
    [InlineData("dualstack.yaml", "branch", "iptables-save; ip6tables-save")]
    [InlineData("dualstack.yaml", "hq", "nft list ruleset")]
    [InlineData("docker.yaml", "home", "iptables-save")]
    [InlineData("docker.yaml", "office", "nft list ruleset inet; iptables-save")]
    public void Up_twice_adds_each_rule_once_and_down_removes_exactly_them(string example, string nodeName, string dump)
    {
        var (node, interfaceName, once, twice, afterDown) = UpTwiceThenDown(example, nodeName, dump);
        var marker = node.Backend == RuleBackend.Iptables ? $"sitewire-{interfaceName}" : NftablesRenderer.TableName(interfaceName);
        var families = dump.Contains("ip6tables", StringComparison.Ordinal) ? 2 : 1;
        var expectedRules = node.Backend == RuleBackend.Iptables
            ? node.Rules.Nat.Count + (node.Rules.Firewall.ForwardAccepts.Count + 2) * families
            : 1;
        Assert.Equal(expectedRules, Count(once, marker));
        Assert.Equal(Count(once, marker), Count(twice, marker));
        Assert.Equal(Normalize(once), Normalize(twice));
        Assert.Equal(0, Count(afterDown, marker));
        var dockerUser = node.Rules.Firewall.DockerUser ? node.Rules.Firewall.ForwardAccepts.Count * families : 0;
        Assert.Equal([dockerUser, dockerUser, 0], new[] { once, twice, afterDown }.Select(dump => Count(dump, "-A DOCKER-USER")));
        Assert.Contains("masquerade", once, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(node.Backend == RuleBackend.Iptables ? "-j TCPMSS --clamp-mss-to-pmtu" : "tcp option maxseg size set rt mtu", once, StringComparison.Ordinal);
    }

    /// <summary>
    /// `network.policy: flows`: the iptables chain holds the established accept, one rule per source and destination of
    /// each flow rule (iptables splits address lists), and the final drop, with one jump to it from FORWARD; nftables
    /// holds the chain in the node's table. Up twice leaves it as once; down leaves no trace of it.
    /// </summary>
    [Theory]
    [InlineData("relay", "iptables-save")]
    [InlineData("home", "iptables-save")]
    [InlineData("branch", "iptables-save")]
    [InlineData("office", "nft list ruleset")]
    public void The_flow_policy_is_added_once_and_removed_exactly(string nodeName, string dump)
    {
        var (node, interfaceName, once, twice, afterDown) = UpTwiceThenDown("policy.yaml", nodeName, dump);

        var policy = node.Rules.Firewall.FlowPolicy!;
        Assert.Equal(Normalize(once), Normalize(twice));
        if (node.Backend == RuleBackend.Iptables)
        {
            var chain = $"sitewire-{interfaceName}";
            var pairs = policy.Rules.Sum(rule => rule.Sources.Count * rule.Destinations.Count);
            Assert.Equal(pairs + 2, Count(once, $"-A {chain} "));
            Assert.Equal(1, Count(once, $"-A FORWARD -i {interfaceName} -m comment --comment {chain} -j {chain}"));
            Assert.Contains($"-A {chain} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", once, StringComparison.Ordinal);
            Assert.EndsWith($"-A {chain} -j DROP", once.Split('\n').Last(line => line.StartsWith($"-A {chain} ", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Equal(0, Count(afterDown, chain));
        }
        else
        {
            Assert.Contains($"chain {FlowFilter.NftChain} {{", once, StringComparison.Ordinal);
            Assert.Contains($"iifname \"{interfaceName}\" ct state established,related accept", once, StringComparison.Ordinal);
            Assert.Contains($"iifname \"{interfaceName}\" drop", once, StringComparison.Ordinal);
            Assert.Equal(0, Count(afterDown, NftablesRenderer.TableName(interfaceName)));
        }
    }

    private static (NodePlan Node, string InterfaceName, string Once, string Twice, string AfterDown) UpTwiceThenDown(string example, string nodeName, string dump)
    {
        var topology = PlanFixtures.Load(PlanFixtures.Example(example));
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));
        var node = plan.NodeNamed(nodeName);
        string Expand(string hook) => hook.Replace("%i", plan.InterfaceName, StringComparison.Ordinal);
        var up = string.Join("\n", node.Hooks.PostUp.Select(Expand));
        var down = string.Join("\n", node.Hooks.PostDown.Select(Expand));
        var lan = node.Node.Lan is { } nodeLan ? $"ip link add {Sitewire.Text.ShellWord.Quote(nodeLan.Interface)} type veth peer name lan-peer" : "true";
        var script = $"set -e\n{lan}\n{up}\necho '--- once'\n{dump}\n{up}\necho '--- twice'\n{dump}\n{down}\necho '--- down'\n{dump}\n";

        var output = RunInFreshNetworkNamespace(script);

        return (node, plan.InterfaceName, Section(output, "--- once"), Section(output, "--- twice"), Section(output, "--- down"));
    }

    private static int Count(string text, string marker) =>
        text.Split('\n').Count(line => line.Contains(marker, StringComparison.Ordinal) && !line.StartsWith('#'));

    private static string Normalize(string dump) =>
        string.Join("\n", dump.Split('\n').Where(line => !line.StartsWith('#') && !line.StartsWith(':') && !line.StartsWith("---", StringComparison.Ordinal)));

    private static string Section(string output, string header)
    {
        var start = output.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        var end = output.IndexOf("\n---", start + header.Length, StringComparison.Ordinal);
        return end < 0 ? output[start..] : output[start..end];
    }

    private static string RunInFreshNetworkNamespace(string script)
    {
        var (exitCode, output, errors) = ScriptProcess.Run("unshare", ["--net", "bash", "-c", script], TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, $"exit {exitCode}: {errors}\n{output}");
        return output;
    }
}
