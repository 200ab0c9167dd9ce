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

    /// <summary>A NAT router's: IPv4 masqueraded out of its public side (the lab's `table ip nat` of the same router).</summary>
    public static NetfilterRuleset OfNatRouter(NatRouting nat) =>
        NetfilterRuleset.Empty
            .With(new NetfilterChain(IpFamily.V4.Nft, "nat", "postrouting", "postrouting", "nat", "accept"))
            .Appended(new NetfilterRule(IpFamily.V4.Nft, "nat", "postrouting", new Dictionary<string, string> { ["oifname"] = nat.OutInterface }, "masquerade", false,
                $"ip nat postrouting: oifname {nat.OutInterface} masquerade"));

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
