using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// iptables-legacy's tables and nftables' (iptables-nft's among them) both holding rules: the kernel runs both, a forwarded
/// packet must pass each, and each tool shows only its own (`iptables` on Debian 12 is iptables-nft and lists none of the
/// legacy rules). A program built against the other backend (an older Docker, kube-proxy or a distribution's firewall
/// script) leaves its rules where the admin does not look. A warning naming both sides; a drop on either is
/// <see cref="ForwardingChecks"/>' to name.
/// </summary>
internal static class IptablesBackendsCheck
{
    private const string Check = "iptables backends";

    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var ruleset = context.Snapshot.Ruleset;
        var legacy = Holding(ruleset, legacy: true);
        var nft = Holding(ruleset, legacy: false);
        if (legacy.Count == 0 || nft.Count == 0)
        {
            yield break;
        }
        yield return DoctorFinding.Warning(Check,
            $"iptables-legacy and nftables both hold rules (legacy: {Describe(legacy)}; nftables: {Describe(nft)}): the kernel runs both and a packet must pass each, "
            + "while `iptables` shows only its own backend's — a trap when one program's rules are looked for with the other's tool",
            "see both: iptables-legacy-save; nft list ruleset",
            "move the legacy rules to nftables and keep one backend: iptables-legacy-save > /root/legacy.rules && iptables-nft-restore --noflush < /root/legacy.rules && iptables-legacy -F && iptables-legacy -X && iptables-legacy -P FORWARD ACCEPT (and point the program that wrote them at iptables-nft: update-alternatives --set iptables /usr/sbin/iptables-nft)");
    }

    /// <summary>The tables of one backend that hold rules or a base chain whose policy is not accept, as "ip filter", in name order.</summary>
    private static List<string> Holding(NetfilterRuleset ruleset, bool legacy) =>
        [.. ruleset.Chains
            .Where(chain => chain.Legacy == legacy && (ruleset.RulesOf(chain).Any() || chain.Hook is not null && chain.Policy != "accept"))
            .Select(chain => $"{chain.Family} {chain.Table}")
            .Distinct()
            .Order(StringComparer.Ordinal)];

    private static string Describe(IReadOnlyList<string> tables) => string.Join(", ", tables);
}
