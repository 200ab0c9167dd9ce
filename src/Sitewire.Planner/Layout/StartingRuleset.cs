using System.Globalization;
using Sitewire.Netfilter;

namespace Sitewire.Planner.Layout;

/// <summary>
/// The netfilter rules a host starts with, as values: what verify evaluates before the plan's rules go on top, and what the
/// lab puts in place (<see cref="IptablesSyntax"/> writes the commands). firewalld's own tables are not among them: its zones
/// are judged as zones, on the plan's side and the live side alike.
/// </summary>
public static class StartingRuleset
{
    /// <summary>
    /// <see cref="StartingFirewall.IptablesForwardDrop"/>: Debian/Ubuntu's filter table per family, FORWARD policy DROP with replies
    /// of tracked connections accepted (as ufw leaves it); with <paramref name="docker"/>, Docker's IPv4 tables in place of its own.
    /// </summary>
    public static NetfilterRuleset Of(StartingFirewall firewall, bool docker)
    {
        var ruleset = firewall == StartingFirewall.IptablesForwardDrop
            ? IpFamily.Both.Aggregate(NetfilterRuleset.Empty, (rules, family) => IptablesForwardDrop(rules, family.Nft))
            : NetfilterRuleset.Empty;
        return docker ? WithDocker(ruleset) : ruleset;
    }

    /// <summary>
    /// A NAT router's, all IPv4 in table ip nat: each port forward DNATs UDP for the public address at its port to the node
    /// behind it (from any side, so nodes behind the same router reach each other through it), and whatever leaves the public
    /// side is masqueraded. The lab loads the same values (<see cref="NftSyntax.Script"/>).
    /// </summary>
    public static NetfilterRuleset OfNatRouter(NatRouting nat)
    {
        var family = IpFamily.V4.Nft;
        var ruleset = NetfilterRuleset.Empty;
        if (nat.Forwards.Count > 0)
        {
            ruleset = ruleset.With(new NetfilterChain(family, "nat", "prerouting", "prerouting", "nat", "accept"));
        }
        foreach (var forward in nat.Forwards)
        {
            var matches = new Dictionary<string, string> { ["daddr"] = $"{nat.PublicAddress}/32", ["l4proto"] = "udp", ["dport"] = forward.PublicPort.ToString(CultureInfo.InvariantCulture) };
            ruleset = ruleset.Appended(Named(new NetfilterRule(family, "nat", "prerouting", matches, "dnat", false, "", $"{forward.To}:{forward.ToPort}"), "prerouting"));
        }
        return ruleset
            .With(new NetfilterChain(family, "nat", "postrouting", "postrouting", "nat", "accept"))
            .Appended(Named(new NetfilterRule(family, "nat", "postrouting", new Dictionary<string, string> { ["oifname"] = nat.OutInterface }, "masquerade", false, ""), "postrouting"));
    }

    private static NetfilterRule Named(NetfilterRule rule, string hook) =>
        rule with { Text = $"{rule.Family} {rule.Table} {rule.Chain}: {NftSyntax.Statement(rule, hook)}" };

    /// <summary>
    /// Docker 20.10's IPv4 filter and nat tables as `iptables-save` recorded them on Debian 12 (docker.iptables-save):
    /// FORWARD policy DROP, DOCKER-USER jumped to first, no general established accept. The lab replays the same text with
    /// `iptables-restore`, which replaces those tables.
    /// </summary>
    public static string DockerIptablesSave
    {
        get
        {
            using var resource = typeof(StartingRuleset).Assembly.GetManifestResourceStream("Sitewire.Planner.Layout.docker.iptables-save")!;
            using var reader = new StreamReader(resource);
            return reader.ReadToEnd();
        }
    }

    private static NetfilterRuleset IptablesForwardDrop(NetfilterRuleset ruleset, string family)
    {
        var established = new NetfilterRule(family, "filter", "FORWARD", new Dictionary<string, string> { ["ctstate"] = "established,related" }, "accept", false, "");
        return ruleset
            .With(new NetfilterChain(family, "filter", "INPUT", "input", "filter", "accept"))
            .With(new NetfilterChain(family, "filter", "FORWARD", "forward", "filter", "drop"))
            .With(new NetfilterChain(family, "filter", "OUTPUT", "output", "filter", "accept"))
            .Appended(established with { Text = IptablesSyntax.Rule(established) });
    }

    private static NetfilterRuleset WithDocker(NetfilterRuleset ruleset)
    {
        var docker = IptablesSave.Parse(DockerIptablesSave);
        bool Replaced(string family, string table) => family == IpFamily.V4.Nft && table is "filter" or "nat";
        return new NetfilterRuleset(
            [.. ruleset.Chains.Where(c => !Replaced(c.Family, c.Table)), .. docker.Chains],
            [.. ruleset.Rules.Where(r => !Replaced(r.Family, r.Table)), .. docker.Rules]);
    }
}
