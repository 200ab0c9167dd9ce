using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>The commands that let a dropped packet through the chain that dropped it, in the terms of whoever owns the chain.</summary>
public static class AcceptFixes
{
    /// <summary>
    /// A forwarded packet: the owning firewall's own command (Docker's DOCKER-USER, ufw route allow), else an accept inserted into the
    /// nftables chain and its iptables form, or the iptables-legacy accept; replies only (ct state established,related) when the packet is one.
    /// </summary>
    public static string[] Forward(NetfilterRuleset ruleset, ChainVerdict blocker, NetfilterPacket packet)
    {
        var chain = blocker.Chain;
        var family = packet.Family;
        var repliesOnly = packet.State != "new";
        var foreign = ForeignFirewall.Deciding(ruleset, blocker);
        return foreign is not null
            ? [foreign.AcceptCommand(family, chain.Legacy, packet.InInterface!, packet.OutInterface!, repliesOnly)]
            : chain.Legacy
                ? [ForeignFirewall.IptablesAccept(family, legacy: true, "FORWARD", packet.InInterface!, packet.OutInterface!, repliesOnly)]
                : [
                    $"nft insert rule {chain.Family} {chain.Table} {chain.Name} iifname \"{packet.InInterface}\" oifname \"{packet.OutInterface}\"{(repliesOnly ? " ct state established,related" : "")} accept",
                    ForeignFirewall.IptablesAccept(family, legacy: false, "FORWARD", packet.InInterface!, packet.OutInterface!, repliesOnly),
                ];
    }

    /// <summary>A packet for the node itself: an accept of its protocol and port on its interface, in nftables or iptables terms.</summary>
    public static string[] Input(NetfilterChain chain, NetfilterPacket packet)
    {
        var port = packet.DestinationPort is { } dport ? $" {packet.Protocol} dport {dport}" : packet.Protocol is { } protocol ? $" meta l4proto {protocol}" : "";
        var iptablesPort = packet.DestinationPort is { } p ? $" -p {packet.Protocol} --dport {p}" : packet.Protocol is { } any ? $" -p {any}" : "";
        var iptables = $"{packet.Family.IptablesOf(chain.Legacy)} -I INPUT -i {packet.InInterface}{iptablesPort} -j ACCEPT";
        return chain.Legacy ? [iptables] : [$"nft insert rule {chain.Family} {chain.Table} {chain.Name} iifname \"{packet.InInterface}\"{port} accept", iptables];
    }
}
