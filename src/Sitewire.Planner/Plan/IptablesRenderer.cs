using Sitewire.Netfilter;
using Sitewire.Text;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Renders rules for iptables hosts (Ubuntu, Debian). Each rule is added only when absent
/// (<c>-C ... || -I/-A ...</c>), so up twice adds it once; down deletes exactly those rules.
/// Rules carry the comment <c>sitewire-%i</c> so they can be told apart from others. The MSS clamp lives in the mangle
/// table's FORWARD chain: SYNs leaving by the tunnel are clamped to the route's MTU, SYNs arriving from it lowered to the
/// tunnel's MSS of their family. A mapped LAN subnet is translated with NETMAP in the nat table, inserted first so no
/// other rule of the chain takes the packet before it. The flow policy is a chain of its own, <c>sitewire-%i</c>, that
/// FORWARD sends everything arriving from the tunnel to: made (or emptied) and filled on up, so up twice leaves it as
/// planned; unhooked, emptied and deleted on down. On a Docker node the forward accepts go into DOCKER-USER (created
/// when Docker has not yet: Docker keeps a chain it finds, adds its RETURN below ours and jumps to it first from
/// FORWARD), the node's forward drops above them; the chain stays on down.
/// </summary>
public static class IptablesRenderer
{
    private const string DockerUserChain = "DOCKER-USER";

    private const string Comment = "sitewire-%i";

    public static RenderedHooks Render(NodeRules rules, string tunnel, bool hasIpv6)
    {
        var up = new List<string>();
        var down = new List<string>();
        up.AddRange(rules.Sysctls.Select(SysctlLine));
        var planned = PlannedRuleset.Of(rules, tunnel, RuleBackend.Iptables, hasIpv6, NetfilterRuleset.Empty);
        var flowChain = PlannedRuleset.IptablesFlowPolicyChain(tunnel);
        var tools = Tools(hasIpv6);
        if (rules.Firewall.FlowPolicy is not null)
        {
            foreach (var family in tools)
            {
                up.Add($"{family.Iptables} -N {FlowFilter.IptablesChain} 2>/dev/null || {family.Iptables} -F {FlowFilter.IptablesChain}");
                up.AddRange(planned.Added.Where(added => added.Rule.Chain == flowChain && added.Rule.Family == family.Nft)
                    .Select(added => $"{family.Iptables} -A {FlowFilter.IptablesChain} {IptablesSyntax.Spec(added.Rule, name => HookName(name, tunnel))}"));
            }
        }
        AddLines(up, down, planned.Added.Where(added => added.Rule.Chain != flowChain), tunnel);
        if (rules.Firewall.FlowPolicy is not null)
        {
            down.AddRange(tools.SelectMany(family => new[]
            {
                $"{family.Iptables} -F {FlowFilter.IptablesChain} 2>/dev/null || true",
                $"{family.Iptables} -X {FlowFilter.IptablesChain} 2>/dev/null || true",
            }));
        }
        return new RenderedHooks(up, down);
    }

    /// <summary>The DOCKER-USER accepts among a node's <paramref name="added"/> rules, for OS families whose other rules are not iptables'.</summary>
    public static RenderedHooks RenderDockerUser(IEnumerable<PlannedRule> added, string tunnel)
    {
        var up = new List<string>();
        var down = new List<string>();
        AddLines(up, down, added.Where(rule => rule.Rule.Chain == DockerUserChain), tunnel);
        return new RenderedHooks(up, down);
    }

    /// <summary>Each rule added only when absent (`-C … || -I/-A …`), deleted on down; DOCKER-USER made first where Docker has not yet.</summary>
    private static void AddLines(List<string> up, List<string> down, IEnumerable<PlannedRule> added, string tunnel)
    {
        var created = new HashSet<string>();
        foreach (var (rule, insert) in added)
        {
            var tool = rule.Family == IpFamily.V6.Nft ? IpFamily.V6.Iptables : IpFamily.V4.Iptables;
            if (rule.Chain == DockerUserChain && created.Add(tool))
            {
                up.Add($"{tool} -N {DockerUserChain} 2>/dev/null || true");
            }
            var table = rule.Table == "filter" ? "" : $"-t {rule.Table} ";
            var spec = $"{HookName(rule.Chain, tunnel)} {IptablesSyntax.Spec(rule, name => HookName(name, tunnel), Comment)}";
            up.Add($"{tool} {table}-C {spec} 2>/dev/null || {tool} {table}{(insert ? "-I" : "-A")} {spec}");
            down.Insert(0, $"{tool} {table}-D {spec} 2>/dev/null || true");
        }
    }

    private static IpFamily[] Tools(bool hasIpv6) => hasIpv6 ? [IpFamily.V4, IpFamily.V6] : [IpFamily.V4];

    internal static string SysctlLine(SysctlSetting setting) => $"sysctl -q -w {ShellWord.Quote($"{setting.Name}={setting.Value}")}";

    /// <summary>
    /// An interface or chain name as one shell word of the PostUp line: the tunnel as wg-quick's <c>%i</c>, the flow policy's
    /// chain as <c>sitewire-%i</c>, another name quoted.
    /// </summary>
    internal static string HookName(string name, string tunnel) =>
        name == tunnel ? "%i" : name == PlannedRuleset.IptablesFlowPolicyChain(tunnel) ? FlowFilter.IptablesChain : ShellWord.Quote(name);
}
