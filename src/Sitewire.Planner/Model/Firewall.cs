namespace Sitewire.Planner.Model;

/// <summary>
/// A host's packet filter: ordered rules then the chain policy (iptables/nftables), and firewalld when present.
/// A packet must pass both. Replies of a tracked connection pass when <see cref="AcceptEstablished"/> (the usual first rule).
/// </summary>
public sealed class Firewall
{
    public Verdict InputPolicy { get; set; } = Verdict.Accept;
    public Verdict ForwardPolicy { get; set; } = Verdict.Accept;
    public List<FilterRule> Rules { get; } = [];
    public bool AcceptEstablished { get; set; } = true;
    public Firewalld? Firewalld { get; set; }

    /// <summary>Null when the packet passes, else why it is dropped.</summary>
    public string? Check(Chain chain, string inInterface, string? outInterface, Packet packet, bool established)
    {
        if (established && AcceptEstablished)
        {
            return null;
        }
        var rule = Rules.Find(r => r.Matches(chain, inInterface, outInterface, packet));
        var verdict = rule?.Verdict ?? (chain == Chain.Input ? InputPolicy : ForwardPolicy);
        if (verdict == Verdict.Drop)
        {
            return rule is null ? $"{chain.ToString().ToUpperInvariant()} policy is DROP and no rule accepts {packet}" : $"rule '{rule}' drops {packet}";
        }
        return Firewalld is null ? null : CheckFirewalld(Firewalld, chain, inInterface, outInterface, packet);
    }

    private static string? CheckFirewalld(Firewalld firewalld, Chain chain, string inInterface, string? outInterface, Packet packet)
    {
        var ingress = firewalld.ZoneOf(inInterface);
        if (chain == Chain.Input)
        {
            return packet.Protocol == Protocol.Icmp || ingress.OpenPorts.Contains((packet.Protocol, packet.DestinationPort))
                ? null
                : $"firewalld zone '{ingress.Name}' of {inInterface} does not open {packet.DestinationPort}/{packet.Protocol.Name()}";
        }
        var egress = firewalld.ZoneOf(outInterface ?? "");
        if (ingress == egress)
        {
            return ingress.Forward ? null : $"firewalld zone '{ingress.Name}' does not forward between its interfaces ({inInterface} → {outInterface})";
        }
        return firewalld.ForwardPolicies.Contains((ingress.Name, egress.Name))
            ? null
            : $"firewalld forwards nothing from zone '{ingress.Name}' ({inInterface}) to zone '{egress.Name}' ({outInterface})";
    }
}
