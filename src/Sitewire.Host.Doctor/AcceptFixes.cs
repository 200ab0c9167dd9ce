using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>The commands that let a dropped packet through the chain that dropped it, in the terms of whoever owns the chain.</summary>
public static class AcceptFixes
{
    /// <summary>
    /// A forwarded packet: the owning firewall's own command (Docker's DOCKER-USER, ufw route allow, inserted first when one of
    /// ufw's rules of other matches drops it), else an accept inserted into the nftables chain and its iptables form, or the
    /// iptables-legacy accept; replies only (ct state established,related) when the packet is one.
    /// </summary>
    public static string[] Forward(NetfilterRuleset ruleset, ChainVerdict blocker, NetfilterPacket packet)
    {
        var chain = blocker.Chain;
        var family = packet.Family;
        var repliesOnly = packet.State != "new";
        var foreign = ForeignFirewall.Deciding(ruleset, blocker);
        return foreign is not null
            ? [foreign.AcceptCommand(family, chain.Legacy, packet.InInterface!, packet.OutInterface!, repliesOnly,
                first: foreign.InsertsAbove(blocker, ForeignFirewall.ForwardAccept(chain.Family, chain.Table, chain.Name, packet.InInterface!, packet.OutInterface!, repliesOnly: false).Matches))]
            : chain.Legacy
                ? [ForeignFirewall.IptablesAccept(family, legacy: true, "FORWARD", packet.InInterface!, packet.OutInterface!, repliesOnly)]
                : [
                    NftInsert(chain, ForeignFirewall.ForwardAccept(chain.Family, chain.Table, chain.Name, packet.InInterface!, packet.OutInterface!, repliesOnly)),
                    ForeignFirewall.IptablesAccept(family, legacy: false, "FORWARD", packet.InInterface!, packet.OutInterface!, repliesOnly),
                ];
    }

    /// <summary>
    /// A packet for the node itself: where ufw decided, its own rule for the port (`ufw allow`, inserted first when one of ufw's
    /// rules of other matches drops it, updating a deny of the same matches in place; ufw rewrites its chains on reload), else an
    /// accept of its protocol and port on its interface (any, when it has none) in nftables and iptables terms, or the
    /// iptables-legacy one.
    /// </summary>
    public static string[] Input(NetfilterRuleset ruleset, ChainVerdict blocker, NetfilterPacket packet)
    {
        var matches = new Dictionary<string, string>();
        if (packet.InInterface is { } inInterface)
        {
            matches["iifname"] = inInterface;
        }
        if (packet.Protocol is { } protocol)
        {
            matches["l4proto"] = protocol;
        }
        if (packet.DestinationPort is { } port)
        {
            matches["dport"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (ForeignFirewall.Deciding(ruleset, blocker) == ForeignFirewall.Ufw && packet is { Protocol: "tcp" or "udp", DestinationPort: { } ufwPort })
        {
            var rule = packet.InInterface is { } on ? $"allow in on {on} to any port {ufwPort} proto {packet.Protocol}" : $"allow {ufwPort}/{packet.Protocol}";
            return [ForeignFirewall.Ufw.InsertsAbove(blocker, matches) ? $"ufw insert 1 {rule}" : $"ufw {rule}"];
        }
        var chain = blocker.Chain;
        var accept = new NetfilterRule(chain.Family, chain.Table, chain.Name, matches, "accept", false, "");
        var iptables = $"{packet.Family.IptablesOf(chain.Legacy)} -I {IptablesSyntax.Rule(accept with { Family = packet.Family.Nft, Table = "filter", Chain = "INPUT" })}";
        return chain.Legacy ? [iptables] : [NftInsert(chain, accept), iptables];
    }

    /// <summary>`nft insert rule FAMILY TABLE CHAIN …`: the rule first in the chain that decided.</summary>
    private static string NftInsert(NetfilterChain chain, NetfilterRule rule) =>
        $"nft insert rule {chain.Family} {chain.Table} {chain.Name} {NftSyntax.Statement(rule, chain.Hook)}";
}
