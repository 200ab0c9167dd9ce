using Sitewire.Config.Topology;
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
    public static RenderedHooks Render(NodeRules rules, string tunnel, bool hasIpv6)
    {
        var up = new List<string>();
        var down = new List<string>();
        up.AddRange(rules.Sysctls.Select(SysctlLine));
        var tools = Tools(hasIpv6);
        if (rules.Firewall.FlowPolicy is { } policy)
        {
            up.AddRange(tools.SelectMany(tool => FlowPolicyLines(policy, tool)));
        }
        AddLines(up, down, Specs(rules, tunnel, hasIpv6));
        if (rules.Firewall.FlowPolicy is not null)
        {
            down.AddRange(tools.SelectMany(tool => new[]
            {
                $"{tool} -F {FlowFilter.IptablesChain} 2>/dev/null || true",
                $"{tool} -X {FlowFilter.IptablesChain} 2>/dev/null || true",
            }));
        }
        return new RenderedHooks(up, down);
    }

    /// <summary>The DOCKER-USER accepts of a Docker node alone, for OS families whose other rules are not iptables'.</summary>
    public static RenderedHooks RenderDockerUser(NodeRules rules, string tunnel, bool hasIpv6)
    {
        var up = new List<string>();
        var down = new List<string>();
        AddLines(up, down, DockerUserSpecs(rules, tunnel, Tools(hasIpv6)));
        return new RenderedHooks(up, down);
    }

    private static void AddLines(List<string> up, List<string> down, IEnumerable<(string Tool, string? Table, string Chain, bool Insert, string Spec)> specs)
    {
        var created = new HashSet<string>();
        foreach (var (tool, table, chain, insert, spec) in specs)
        {
            if (chain == DockerUserChain && created.Add(tool))
            {
                up.Add($"{tool} -N {DockerUserChain} 2>/dev/null || true");
            }
            var tableArgument = table is null ? "" : $"-t {table} ";
            var add = insert ? "-I" : "-A";
            up.Add($"{tool} {tableArgument}-C {chain} {spec} 2>/dev/null || {tool} {tableArgument}{add} {chain} {spec}");
            down.Insert(0, $"{tool} {tableArgument}-D {chain} {spec} 2>/dev/null || true");
        }
    }

    private const string DockerUserChain = "DOCKER-USER";

    private const string Comment = "-m comment --comment sitewire-%i";

    private static string[] Tools(bool hasIpv6) => hasIpv6 ? ["iptables", "ip6tables"] : ["iptables"];

    /// <summary>The flow policy's chain for one tool: replies first, then the deny and allow rules of its family, then drop.</summary>
    private static IEnumerable<string> FlowPolicyLines(FlowFilter policy, string tool)
    {
        const string Chain = FlowFilter.IptablesChain;
        var family = tool == "ip6tables" ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork;
        yield return $"{tool} -N {Chain} 2>/dev/null || {tool} -F {Chain}";
        yield return $"{tool} -A {Chain} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT";
        foreach (var rule in policy.Rules.Where(rule => rule.Family == family))
        {
            var verdict = rule.Expect == FlowExpectation.Deny ? "DROP" : "ACCEPT";
            yield return $"{tool} -A {Chain} {FlowMatch(string.Join(',', rule.Sources), string.Join(',', rule.Destinations), rule.Protocol, rule.Port, tool == "ip6tables")} -j {verdict}";
        }
        yield return $"{tool} -A {Chain} -j DROP";
    }

    /// <summary>A flow's matches in the policy chain: sources, destinations, then the port, or ICMP echo requests without one.</summary>
    public static string FlowMatch(string sources, string destinations, TransportProtocol protocol, int? port, bool ipv6) =>
        $"-s {sources} -d {destinations} "
        + (port is { } number ? $"-p {protocol.ToString().ToLowerInvariant()} --dport {number}"
            : ipv6 ? "-p ipv6-icmp --icmpv6-type echo-request" : "-p icmp --icmp-type echo-request");

    private static IEnumerable<(string Tool, string? Table, string Chain, bool Insert, string Spec)> ForwardAcceptSpecs(NodeRules rules, string tunnel, string[] tools, string chain) =>
        rules.Firewall.ForwardAccepts.SelectMany(accept => tools.Select(tool =>
            (tool, (string?)null, chain, true, $"-i {HookName(accept.InInterface, tunnel)} -o {HookName(accept.OutInterface, tunnel)} {Comment} -j ACCEPT")));

    private static IEnumerable<(string Tool, string? Table, string Chain, bool Insert, string Spec)> DockerUserSpecs(NodeRules rules, string tunnel, string[] tools) =>
        rules.Firewall.DockerUser ? ForwardAcceptSpecs(rules, tunnel, tools, DockerUserChain) : [];

    internal static string SysctlLine(SysctlSetting setting) => $"sysctl -q -w {ShellWord.Quote($"{setting.Name}={setting.Value}")}";

    private static IEnumerable<(string Tool, string? Table, string Chain, bool Insert, string Spec)> Specs(NodeRules rules, string tunnel, bool hasIpv6)
    {
        const string Syn = "-p tcp --tcp-flags SYN,RST SYN";
        var tools = Tools(hasIpv6);
        if (rules.Firewall.OpenUdpPort is { } port)
        {
            foreach (var tool in tools)
            {
                yield return (tool, null, "INPUT", true, $"-p udp --dport {port} {Comment} -j ACCEPT");
            }
        }
        foreach (var spec in rules.Firewall.DockerUser ? DockerUserSpecs(rules, tunnel, tools) : ForwardAcceptSpecs(rules, tunnel, tools, "FORWARD"))
        {
            yield return spec;
        }
        if (rules.Firewall.FlowPolicy is not null)
        {
            foreach (var tool in tools)
            {
                yield return (tool, null, "FORWARD", true, $"-i %i {Comment} -j {FlowFilter.IptablesChain}");
            }
        }
        foreach (var drop in rules.Firewall.Drops)
        {
            foreach (var tool in DropTools(drop, tools))
            {
                yield return (tool, null, drop.Chain == FilterChain.Input ? "INPUT" : rules.Firewall.DockerUser ? DockerUserChain : "FORWARD", true, $"{DropMatch(drop, tunnel)}{Comment} -j DROP");
            }
        }
        if (rules.Clamp is { } clamp)
        {
            foreach (var tool in tools)
            {
                var mss = clamp.MssFor(tool == "ip6tables");
                yield return (tool, "mangle", "FORWARD", false, $"-o %i {Syn} {Comment} -j TCPMSS --clamp-mss-to-pmtu");
                yield return (tool, "mangle", "FORWARD", false, $"-i %i {Syn} -m tcpmss --mss {mss + 1}:65535 {Comment} -j TCPMSS --set-mss {mss}");
            }
        }
        foreach (var map in rules.Maps)
        {
            yield return ("iptables", "nat", "PREROUTING", true, $"-i {HookName(map.Tunnel, tunnel)} -d {map.Mapped} {Comment} -j NETMAP --to {map.Real}");
            yield return ("iptables", "nat", "POSTROUTING", true, $"-o {HookName(map.Tunnel, tunnel)} -s {map.Real} {Comment} -j NETMAP --to {map.Mapped}");
        }
        foreach (var nat in rules.Nat)
        {
            var tool = NodeRulesPlanner.IsV6(nat.SourcePrefix) ? "ip6tables" : "iptables";
            yield return (tool, "nat", "POSTROUTING", false, $"-s {nat.SourcePrefix} -o {ShellWord.Quote(nat.OutInterface)} {Comment} -j MASQUERADE");
        }
    }

    /// <summary>A drop rule limited to one family by its prefixes goes to that family's tool only.</summary>
    private static IEnumerable<string> DropTools(DropRule drop, string[] tools) =>
        drop.Family switch
        {
            System.Net.Sockets.AddressFamily.InterNetwork => ["iptables"],
            System.Net.Sockets.AddressFamily.InterNetworkV6 => ["ip6tables"],
            _ => tools,
        };

    /// <summary>The rule's matches in iptables syntax, each followed by a space: <c>-i %i -o eth1 -p tcp --dport 445 -s S -d D </c>.</summary>
    internal static string DropMatch(DropRule drop, string tunnel) =>
        (drop.InInterface is { } inName ? $"-i {HookName(inName, tunnel)} " : "")
        + (drop.OutInterface is { } outName ? $"-o {HookName(outName, tunnel)} " : "")
        + (drop.Protocol is { } protocol ? $"-p {protocol.ToString().ToLowerInvariant()} " : "")
        + (drop.Port is { } port ? $"--dport {port} " : "")
        + (drop.Source is { } source ? $"-s {source} " : "")
        + (drop.Destination is { } destination ? $"-d {destination} " : "");

    /// <summary>The tunnel interface as wg-quick's <c>%i</c>, other interfaces by name, as one shell word.</summary>
    internal static string HookName(string name, string tunnel) => name == tunnel ? "%i" : ShellWord.Quote(name);
}
