using Sitewire.Config.Topology;
using Sitewire.Netfilter;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Verify;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>
/// The plan's rules as values (<see cref="PlannedRuleset"/>): what the PostUp writes is what verify evaluates. Every iptables
/// rule the plan renders, read back by the doctor's own `iptables-save` reader, means its value; rules sit where their
/// command puts them; the flow policy's rules carry the deny flow they came from; Docker and Debian start as recorded.
/// </summary>
public sealed class PlannedRulesetTests
{
    [Theory]
    [InlineData("seed")]
    [InlineData("policy")]
    [InlineData("overlapping")]
    [InlineData("docker")]
    [InlineData("clients")]
    public void Every_rendered_iptables_rule_reads_back_as_its_value(string example)
    {
        var plan = TopologyFixtures.PlanFile(PlanFixtures.Example(example + ".yaml"));
        var compared = 0;
        foreach (var node in plan.Nodes.Where(n => n.Node.Os.RunsHooks()))
        {
            var tunnel = plan.InterfaceName;
            var planned = PlannedRuleset.Of(node.Rules, tunnel, node.Backend, hasIpv6: true, NetfilterRuleset.Empty);
            foreach (var rule in planned.Added.Select(added => added.Rule).Where(rule => rule.Family != "inet"))
            {
                var rendered = IptablesSyntax.Spec(rule, name => IptablesRenderer.HookName(name, tunnel), "sitewire-%i")
                    .Replace("sitewire-%i", PlannedRuleset.IptablesFlowPolicyChain(tunnel), StringComparison.Ordinal)
                    .Replace("%i", tunnel, StringComparison.Ordinal);
                var read = Assert.Single(IptablesSave.Parse($"*{rule.Table}\n-A {rule.Chain} {rendered}\nCOMMIT\n", rule.Family).Rules);
                Assert.True(read.Means(rule), $"{node.Name}: `{rendered}` reads back as `{string.Join(' ', read.Matches)} {read.Verdict}`, planned `{rule.Text}`");
                compared++;
            }
        }
        Assert.True(compared > 0 || example == "clients", $"{compared} rules compared");
    }

    [Fact]
    public void Iptables_rules_sit_where_their_command_puts_them_above_the_starting_accept()
    {
        var plan = TopologyFixtures.PlanFile(PlanFixtures.Example("policy.yaml"));
        var relay = plan.Nodes.Single(n => n.Name == "relay");
        var starting = StartingRuleset.Of(StartingFirewall.IptablesForwardDrop, docker: false);

        var ruleset = PlannedRuleset.Of(relay.Rules, plan.InterfaceName, RuleBackend.Iptables, hasIpv6: false, starting).Ruleset;

        var forward = ruleset.RulesOf(ruleset.Chain("ip", "filter", "FORWARD")!).ToList();
        Assert.Equal("jump:sitewire-wg0", forward[0].Verdict);
        Assert.Equal(new Dictionary<string, string> { ["ctstate"] = "established,related" }, forward[^1].Matches);
        var policy = ruleset.RulesOf(ruleset.Chain("ip", "filter", "sitewire-wg0")!).ToList();
        Assert.Equal("accept", policy[0].Verdict);
        Assert.Equal("established,related", policy[0].Matches["ctstate"]);
        Assert.Equal(("drop", 0), (policy[^1].Verdict, policy[^1].Matches.Count));
        Assert.Contains(policy, rule => rule.Matches.GetValueOrDefault("icmptype") == "echo-request");
    }

    [Fact]
    public void A_flow_policy_rule_names_the_deny_flow_it_was_planned_from()
    {
        var plan = TopologyFixtures.PlanFile(PlanFixtures.Example("policy.yaml"));
        var relay = plan.Nodes.Single(n => n.Name == "relay");

        var planned = PlannedRuleset.Of(relay.Rules, plan.InterfaceName, relay.Backend, hasIpv6: false, NetfilterRuleset.Empty);

        var denies = planned.FlowPolicyRules.Where(entry => entry.Value is not null).ToList();
        Assert.NotEmpty(denies);
        Assert.All(denies, entry => Assert.Equal("drop", entry.Key.Verdict));
        Assert.All(planned.FlowPolicyRules.Where(entry => entry.Key.Verdict == "accept"), entry => Assert.Null(entry.Value));
    }

    [Fact]
    public void Nftables_rules_live_in_the_nodes_own_table_with_lists_as_sets()
    {
        var plan = TopologyFixtures.PlanFile(PlanFixtures.Example("policy.yaml"));
        var office = plan.Nodes.Single(n => n.Name == "office");

        var ruleset = PlannedRuleset.Of(office.Rules, plan.InterfaceName, office.Backend, hasIpv6: false, NetfilterRuleset.Empty).Ruleset;

        Assert.Equal(RuleBackend.Nftables, office.Backend);
        Assert.All(ruleset.Rules, rule => Assert.Equal(("inet", "sitewire_wg0"), (rule.Family, rule.Table)));
        Assert.Contains(ruleset.Rules, rule => rule.Chain == FlowFilter.NftChain && rule.Matches.TryGetValue("saddr", out var sources) && sources.Contains(',', StringComparison.Ordinal));
        Assert.Equal(["forward", "postrouting"], ruleset.Chains.Select(c => c.Hook).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Docker_starts_with_its_recorded_ipv4_tables_and_debians_ipv6_forward()
    {
        var ruleset = StartingRuleset.Of(StartingFirewall.IptablesForwardDrop, docker: true);

        var forward = ruleset.Chain("ip", "filter", "FORWARD")!;
        Assert.Equal("drop", forward.Policy);
        Assert.Equal("jump:DOCKER-USER", ruleset.RulesOf(forward).First().Verdict);
        Assert.DoesNotContain(ruleset.RulesOf(forward), rule => rule.Matches.Count == 1 && rule.Matches.ContainsKey("ctstate"));
        Assert.Equal("established,related", ruleset.RulesOf(ruleset.Chain("ip6", "filter", "FORWARD")!).Single().Matches["ctstate"]);
    }

    [Fact]
    public void A_nat_router_masquerades_ipv4_out_of_its_public_side_only()
    {
        var ruleset = StartingRuleset.OfNatRouter(new NatRouting("wan", System.Net.IPAddress.Parse("198.51.100.2"), []));
        var out4 = NetfilterPackets.Of(new Packet(Protocol.Udp, Address.Parse("192.168.1.10"), 40000, Address.Parse("203.0.113.10"), 51820), null, "wan", false);
        var out6 = NetfilterPackets.Of(new Packet(Protocol.Udp, Address.Parse("fd00::10"), 40000, Address.Parse("2001:db8::1"), 51820), null, "wan", false);
        var lan = out4 with { OutInterface = "lan" };

        Assert.NotNull(NetfilterEvaluator.SourceNat(ruleset, out4));
        Assert.Null(NetfilterEvaluator.SourceNat(ruleset, out6));
        Assert.Null(NetfilterEvaluator.SourceNat(ruleset, lan));
    }
}
