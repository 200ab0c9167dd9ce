using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>
/// Another program's firewall in the host's iptables tables, told by the chains it creates: Docker (DOCKER-USER,
/// DOCKER-FORWARD, DOCKER-ISOLATION-STAGE-*, DOCKER), ufw (ufw-*, ufw6-*) and Kubernetes' kube-proxy, k3s and their CNIs
/// (KUBE-*, FLANNEL-*, CNI-*). Each keeps its chains in step with its own state (Docker on every start, ufw on reload,
/// kube-proxy every few seconds), so a fix must go where that program leaves it alone: <see cref="AcceptCommand"/>.
/// <c>Explanation</c> says why it drops forwarded packets and where a fix survives; <c>InputExplanation</c> the same for packets
/// to the host, for a program that filters those (null: it leaves INPUT to others).
/// </summary>
public sealed record ForeignFirewall(string Name, string Explanation, string? InputExplanation)
{
    public static readonly ForeignFirewall Docker = new("Docker",
        "Docker sets FORWARD's policy to DROP and forwards only its containers' traffic; DOCKER-USER comes first in FORWARD and Docker never flushes it, so an accept there survives Docker's restarts (or set `docker: true` on the node and re-plan)",
        null);

    public static readonly ForeignFirewall Ufw = new("ufw",
        "ufw's default forward policy is DROP (DEFAULT_FORWARD_POLICY in /etc/default/ufw); a `ufw route` rule survives `ufw reload`",
        "ufw's default incoming policy is DROP (DEFAULT_INPUT_POLICY in /etc/default/ufw); a `ufw allow` rule survives `ufw reload`");

    public static readonly ForeignFirewall Kubernetes = new("Kubernetes (kube-proxy/k3s)",
        "kube-proxy and k3s rewrite their KUBE-* chains; an accept inserted at the top of FORWARD stays above their jumps",
        "kube-proxy and k3s rewrite their KUBE-* chains; an accept inserted at the top of INPUT stays above their jumps");

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
    /// through beside this program (replies only, when <paramref name="repliesOnly"/>), in the tool of the chain's backend; a ufw
    /// route rule goes first (`ufw route insert 1`) when <paramref name="first"/>, after ufw's other rules otherwise.
    /// </summary>
    public string AcceptCommand(IpFamily family, bool legacy, string inInterface, string outInterface, bool repliesOnly, bool first = false) =>
        this == Docker ? IptablesAccept(family, legacy, "DOCKER-USER", inInterface, outInterface, repliesOnly)
        : this == Ufw ? $"ufw route {(first ? "insert 1 " : "")}allow in on {inInterface} out on {outInterface}"
        : IptablesAccept(family, legacy, "FORWARD", inInterface, outInterface, repliesOnly);

    /// <summary>
    /// Whether an accept with <paramref name="matches"/> must go first among this program's rules: one of its own rules of other
    /// matches decided. ufw updates a rule of the same matches in place (`ufw route allow` turns its `route deny` into an allow) and
    /// skips `insert` for it ("Skipping inserting existing rule").
    /// </summary>
    public bool InsertsAbove(ChainVerdict verdict, IReadOnlyDictionary<string, string> matches) =>
        verdict.Rule is { } rule && OwnerOf(rule.Chain) == this
        && !rule.Means(new NetfilterRule(rule.Family, rule.Table, rule.Chain, matches, rule.Verdict, false, "", Legacy: rule.Legacy));

    /// <summary>How a drop this program decided is named in a finding: "…, ufw's firewall (why, and where a fix survives)".</summary>
    public string Named(string hook) => (hook == "input" ? InputExplanation : Explanation) is { } why ? $"{Name}'s firewall ({why})" : $"{Name}'s firewall";

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
