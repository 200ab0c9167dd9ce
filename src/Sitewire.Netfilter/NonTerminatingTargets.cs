namespace Sitewire.Netfilter;

/// <summary>
/// iptables targets that act on a packet and let it go on down the chain (log, mark, conntrack settings): a rule with one of
/// them decides nothing, like nft's `log` or `counter` statements. ufw puts a rate-limited LOG before each of its drops.
/// </summary>
public static class NonTerminatingTargets
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CT", "NOTRACK", "AUDIT", "TRACE",
    };

    public static bool Contains(string target) => Names.Contains(target);
}
