using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>
/// Another program's firewall in the host's iptables tables, told by the chains it creates: Docker (DOCKER-USER,
/// DOCKER-FORWARD, DOCKER-ISOLATION-STAGE-*, DOCKER), ufw (ufw-*, ufw6-*) and Kubernetes' kube-proxy, k3s and their CNIs
/// (KUBE-*, FLANNEL-*, CNI-*). Each keeps its chains in step with its own state (Docker on every start, ufw on reload,
/// kube-proxy every few seconds), so a fix must go where that program leaves it alone: <see cref="AcceptCommand"/>.
/// </summary>
public sealed record ForeignFirewall(string Name, string Explanation)
{
    public static readonly ForeignFirewall Docker = new("Docker",
        "Docker sets FORWARD's policy to DROP and forwards only its containers' traffic; DOCKER-USER comes first in FORWARD and Docker never flushes it, so an accept there survives Docker's restarts (or set `docker: true` on the node and re-plan)");

    public static readonly ForeignFirewall Ufw = new("ufw",
        "ufw's default forward policy is DROP (DEFAULT_FORWARD_POLICY in /etc/default/ufw); a `ufw route` rule survives `ufw reload`");

    public static readonly ForeignFirewall Kubernetes = new("Kubernetes (kube-proxy/k3s)",
        "kube-proxy and k3s rewrite their KUBE-* chains; an accept inserted at the top of FORWARD stays above their jumps");

    /// <summary>The program whose chain this is, or null for a chain of no program known here.</summary>
    public static ForeignFirewall? OwnerOf(string chain) => chain switch
    {
        _ when chain.StartsWith("DOCKER", StringComparison.Ordinal) => Docker,
        _ when chain.StartsWith("ufw-", StringComparison.Ordinal) || chain.StartsWith("ufw6-", StringComparison.Ordinal) => Ufw,
        _ when chain.StartsWith("KUBE-", StringComparison.Ordinal) || chain.StartsWith("FLANNEL-", StringComparison.Ordinal) || chain.StartsWith("CNI-", StringComparison.Ordinal) => Kubernetes,
        _ => null,
    };

    /// <summary>
    /// The program whose firewall decided in <paramref name="verdict"/>'s base chain: the owner of the deciding rule's chain,
    /// else (the policy decided) the program that manages the base chain's policy: Docker or ufw, when the chain jumps to theirs.
    /// </summary>
    public static ForeignFirewall? Deciding(NetfilterRuleset ruleset, ChainVerdict verdict) =>
        verdict.Rule is { } rule
            ? OwnerOf(rule.Chain) ?? Managing(ruleset, verdict.Chain)
            : Managing(ruleset, verdict.Chain);

    /// <summary>Docker or ufw when the base chain jumps to their chains (DOCKER-USER, ufw-before-forward), else null.</summary>
    public static ForeignFirewall? Managing(NetfilterRuleset ruleset, NetfilterChain chain)
    {
        var jumps = ruleset.RulesOf(chain).Select(r => r.Verdict).Where(v => v.StartsWith("jump:", StringComparison.Ordinal)).Select(v => v[5..]).ToList();
        return jumps.Contains("DOCKER-USER") ? Docker
            : jumps.Any(j => j.StartsWith("ufw-before-", StringComparison.Ordinal) || j.StartsWith("ufw6-before-", StringComparison.Ordinal)) ? Ufw
            : null;
    }

    /// <summary>
    /// The command that lets forwarded packets <paramref name="inInterface"/> → <paramref name="outInterface"/> of the family
    /// through beside this program (replies only, when <paramref name="repliesOnly"/>), in the tool of the chain's backend.
    /// </summary>
    public string AcceptCommand(IpFamily family, bool legacy, string inInterface, string outInterface, bool repliesOnly) =>
        this == Docker ? IptablesAccept(family, legacy, "DOCKER-USER", inInterface, outInterface, repliesOnly)
        : this == Ufw ? $"ufw route allow in on {inInterface} out on {outInterface}"
        : IptablesAccept(family, legacy, "FORWARD", inInterface, outInterface, repliesOnly);

    /// <summary>`iptables -I CHAIN -i IN -o OUT [-m conntrack --ctstate RELATED,ESTABLISHED] -j ACCEPT` in the family's tool of the backend.</summary>
    public static string IptablesAccept(IpFamily family, bool legacy, string chain, string inInterface, string outInterface, bool repliesOnly) =>
        $"{family.IptablesOf(legacy)} -I {IptablesSyntax.Rule(ForwardAccept(family.Nft, "filter", chain, inInterface, outInterface, repliesOnly))}";

    /// <summary>An accept of packets forwarded <paramref name="inInterface"/> → <paramref name="outInterface"/>, of replies only when <paramref name="repliesOnly"/>.</summary>
    public static NetfilterRule ForwardAccept(string family, string table, string chain, string inInterface, string outInterface, bool repliesOnly)
    {
        var matches = new Dictionary<string, string> { ["iifname"] = inInterface, ["oifname"] = outInterface };
        if (repliesOnly)
        {
            matches["ctstate"] = "established,related";
        }
        return new NetfilterRule(family, table, chain, matches, "accept", false, "");
    }
}
