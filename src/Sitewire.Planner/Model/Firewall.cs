namespace Sitewire.Planner.Model;

/// <summary>
/// A host's packet filter: ordered rules then the chain policy (iptables/nftables), and firewalld when present.
/// A packet must pass both. Replies of a tracked connection pass when <see cref="AcceptEstablished"/> (the usual first rule),
/// unless a drop rule above it matches them (a rule inserted with <c>-I</c> sits above the established accept).
/// A drop comes with the command that opens the way, in the terms of the layer that dropped it (iptables or firewall-cmd).
/// </summary>
public sealed class Firewall
{
    public Verdict InputPolicy { get; set; } = Verdict.Accept;
    public Verdict ForwardPolicy { get; set; } = Verdict.Accept;
    public List<FilterRule> Rules { get; } = [];
    public bool AcceptEstablished { get; set; } = true;
    public Firewalld? Firewalld { get; set; }

    /// <summary>The host runs Docker: the forward policy DROP is Docker's, and the accept that lives beside it goes in DOCKER-USER.</summary>
    public bool Docker { get; set; }

    /// <summary>
    /// Why a packet conntrack calls INVALID is dropped here, or null: a TCP or ICMP reply on a host that never saw its
    /// request (a SYN-ACK, RST or echo reply opens no connection; an ICMP error relates to none). firewalld drops such
    /// packets before its zones (<c>ct state invalid drop</c>); the iptables rules modelled here carry no state match
    /// and treat it as new.
    /// </summary>
    public FilterDrop? CheckInvalid(Host host, Packet packet) =>
        Firewalld is null || packet.Protocol == Protocol.Udp
            ? null
            : new FilterDrop($"firewalld drops {packet} as INVALID: a {packet.Protocol.Name()} reply whose request {host.Name} never saw (it went another way)",
                $"route the reply back through {host.Name}, the way its request went (symmetric routing), or masquerade the request on a node both directions cross");

    /// <summary>
    /// Why the packets of a TCP connection that follow its SYN are dropped here, or null: the host forwarded the SYN, but
    /// the SYN-ACK went another way, so conntrack takes the client's ACK and data for INVALID (an ACK in state SYN_SENT),
    /// and firewalld drops them. The handshake completes at both ends; the connection then carries nothing.
    /// </summary>
    public FilterDrop? CheckOneWayTcp(Host host, Packet packet) =>
        Firewalld is null || packet.Protocol != Protocol.Tcp
            ? null
            : new FilterDrop($"firewalld drops the packets of {packet} after its SYN as INVALID: {host.Name} forwarded the SYN, but the SYN-ACK went another way (the connection opens, then carries nothing)",
                $"route the reply back through {host.Name}, the way its request went (symmetric routing), or masquerade the request on {host.Name}");

    /// <summary>Null when the packet passes, else why it is dropped and the fix. A forwarded packet has an <paramref name="outInterface"/>.</summary>
    public FilterDrop? Check(Chain chain, string inInterface, string? outInterface, Packet packet, bool established)
    {
        var rule = Rules.Find(r => r.Matches(chain, inInterface, outInterface, packet, established));
        if (established && AcceptEstablished && rule?.Verdict != Verdict.Drop)
        {
            return null;
        }
        var verdict = rule?.Verdict ?? (chain == Chain.Input ? InputPolicy : ForwardPolicy);
        if (verdict == Verdict.Drop)
        {
            return RuleDrop(rule, chain, inInterface, outInterface, packet, Docker);
        }
        if (Firewalld is null)
        {
            return null;
        }
        return chain == Chain.Input
            ? FirewalldInput(Firewalld, inInterface, packet)
            : FirewalldForward(Firewalld, inInterface, outInterface ?? throw new ArgumentNullException(nameof(outInterface), "a forwarded packet leaves through an interface"));
    }

    /// <summary>What lets a packet through that <see cref="Check"/> passes, for traces: the tracked connection, the rule or policy, and firewalld's zone.</summary>
    public string Accepting(Chain chain, string inInterface, string? outInterface, Packet packet, bool established)
    {
        if (established && AcceptEstablished)
        {
            return "established/related (a reply of the tracked connection)";
        }
        var rule = Rules.Find(r => r.Matches(chain, inInterface, outInterface, packet, established));
        var what = rule is not null ? $"rule '{rule}'" : $"{chain.ToString().ToUpperInvariant()} policy ACCEPT";
        if (Firewalld is null)
        {
            return what;
        }
        var ingress = Firewalld.ZoneOf(inInterface);
        return chain == Chain.Input || outInterface is null
            ? $"{what}; firewalld zone '{ingress.Name}' of {inInterface}{(packet.Protocol == Protocol.Icmp ? "" : $" opens {packet.DestinationPort}/{packet.Protocol.Name()}")}"
            : Firewalld.ZoneOf(outInterface) == ingress
                ? $"{what}; firewalld zone '{ingress.Name}' forwards {inInterface} → {outInterface}"
                : $"{what}; firewalld policy {ingress.Name}-to-{Firewalld.ZoneOf(outInterface).Name}";
    }

    private static FilterDrop RuleDrop(FilterRule? rule, Chain chain, string inInterface, string? outInterface, Packet packet, bool docker)
    {
        var where = outInterface is null ? $"arriving on {inInterface}" : $"forwarded {inInterface} → {outInterface}";
        var tool = packet.IsV4 ? "iptables" : "ip6tables";
        if (rule is { NewOnly: true })
        {
            return rule.Policy is { } denied
                ? new FilterDrop($"the flow policy drops {packet} {where}: deny flow at {denied.Location}", $"delete the deny flow at {denied.Location} and re-plan")
                : new FilterDrop($"the flow policy drops {packet} {where}: no allow flow matches it",
                    $"declare it as an allow flow and re-plan (network.policy: flows), which adds {tool} -I {FlowPolicyChainFor(inInterface)} 2 {FlowPolicyOpening(packet)}");
        }
        if (rule is not null)
        {
            return new FilterDrop($"rule '{rule}' drops {packet} {where}", $"delete the rule ({tool} -D {rule}, or the node's drop: entry that plans it)");
        }
        if (docker && chain == Chain.Forward)
        {
            return new FilterDrop($"Docker's FORWARD policy is DROP and no rule in DOCKER-USER accepts {packet} {where}",
                $"{tool} -I DOCKER-USER -i {inInterface} -o {outInterface} -j ACCEPT (docker_user: true on the node plans it)");
        }
        var opening = chain == Chain.Input
            ? new FilterRule(Chain.Input, Verdict.Accept, inInterface, Protocol: packet.Protocol, DestinationPort: packet.Protocol == Protocol.Icmp ? null : packet.DestinationPort)
            : new FilterRule(Chain.Forward, Verdict.Accept, inInterface, outInterface);
        return new FilterDrop($"{chain.ToString().ToUpperInvariant()} policy is DROP and no rule accepts {packet} {where}", $"{tool} -I {opening}");
    }

    private static string FlowPolicyChainFor(string tunnel) => Plan.FlowFilter.IptablesChain.Replace("%i", tunnel, StringComparison.Ordinal);

    /// <summary>The rule of the flow policy's chain that accepts the packet's connection (after the established/related accept, hence position 2).</summary>
    private static string FlowPolicyOpening(Packet packet)
    {
        return Plan.IptablesRenderer.FlowMatch(packet.Source.ToString(), packet.Destination.ToString(), packet.Protocol.ToTopology(),
            packet.Protocol == Protocol.Icmp ? null : packet.DestinationPort, !packet.IsV4) + " -j ACCEPT";
    }

    private static FilterDrop? FirewalldInput(Firewalld firewalld, string inInterface, Packet packet)
    {
        var zone = firewalld.ZoneOf(inInterface);
        var port = $"{packet.DestinationPort}/{packet.Protocol.Name()}";
        return packet.Protocol == Protocol.Icmp || zone.OpenPorts.Contains((packet.Protocol, packet.DestinationPort))
            ? null
            : new FilterDrop($"firewalld zone '{zone.Name}' of {inInterface} does not open {port}", $"firewall-cmd --zone={zone.Name} --add-port={port}");
    }

    /// <summary>
    /// firewalld ≥ 1.0 dispatches a forwarded packet by its ingress zone: within one zone it passes when the zone
    /// forwards and the egress interface was added to that zone; across zones only along a policy.
    /// </summary>
    private static FilterDrop? FirewalldForward(Firewalld firewalld, string inInterface, string outInterface)
    {
        var ingress = firewalld.ZoneOf(inInterface);
        var egress = firewalld.ZoneOf(outInterface);
        var pair = $"{inInterface} → {outInterface}";
        if (ingress != egress)
        {
            var policy = $"{ingress.Name}-to-{egress.Name}";
            return firewalld.ForwardPolicies.Contains((ingress.Name, egress.Name))
                ? null
                : new FilterDrop($"firewalld forwards nothing from zone '{ingress.Name}' ({inInterface}) to zone '{egress.Name}' ({outInterface})",
                    $"put {outInterface} in {inInterface}'s zone (firewall-cmd --zone={ingress.Name} --change-interface={outInterface}), or allow forwarding {pair} with a policy "
                    + $"(firewall-cmd --permanent --new-policy={policy} && firewall-cmd --permanent --policy={policy} --add-ingress-zone={ingress.Name} --add-egress-zone={egress.Name} --set-target=ACCEPT && firewall-cmd --reload)");
        }
        if (!ingress.Forward)
        {
            return new FilterDrop($"firewalld zone '{ingress.Name}' does not forward between its interfaces ({pair})",
                $"firewall-cmd --zone={ingress.Name} --add-forward (forwarding {pair})");
        }
        return ingress.Interfaces.Contains(outInterface)
            ? null
            : new FilterDrop($"{outInterface} is in no firewalld zone: the default zone '{ingress.Name}' forwards only to interfaces added to it ({pair})",
                $"firewall-cmd --zone={ingress.Name} --change-interface={outInterface} (forwarding {pair})");
    }
}
