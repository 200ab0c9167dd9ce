namespace Sitewire.Planner.Model;

/// <summary>
/// firewalld as seen by a packet: an interface belongs to the zone it was added to, else to the default zone.
/// Forwarding passes within a forwarding zone towards the zone's own interfaces, or along an allowed policy. Judged by its
/// zones, not rule by rule through its nft tables, on the plan's side and the live side alike; a drop comes with the
/// firewall-cmd command that opens the way.
/// </summary>
public sealed class Firewalld
{
    private readonly List<FirewalldZone> _zones = [];

    public string DefaultZone { get; init; } = "public";
    public IReadOnlyList<FirewalldZone> Zones => _zones;

    /// <summary>Policies (ingress zone → egress zone) that accept forwarded traffic.</summary>
    public HashSet<(string Ingress, string Egress)> ForwardPolicies { get; } = [];

    public FirewalldZone Zone(string name)
    {
        var zone = _zones.Find(z => z.Name == name);
        if (zone is null)
        {
            zone = new FirewalldZone(name);
            _zones.Add(zone);
        }
        return zone;
    }

    /// <summary>The zone the interface was added to, null when it is in none (it then falls into the default zone).</summary>
    public FirewalldZone? AssignedZone(string interfaceName) => _zones.Find(z => z.Interfaces.Contains(interfaceName));

    public FirewalldZone ZoneOf(string interfaceName) => AssignedZone(interfaceName) ?? Zone(DefaultZone);

    /// <summary>`firewall-cmd --zone=Z --change-interface=I`: the interface leaves its zone, if any, and joins <paramref name="zone"/>.</summary>
    public void ChangeInterface(string interfaceName, FirewalldZone zone)
    {
        AssignedZone(interfaceName)?.Interfaces.Remove(interfaceName);
        zone.Interfaces.Add(interfaceName);
    }

    /// <summary>Null when a new connection's packet passes the zones, else why it is dropped and the fix. A forwarded packet has an <paramref name="outInterface"/>.</summary>
    public FilterDrop? Check(Chain chain, string inInterface, string? outInterface, Packet packet) =>
        chain == Chain.Input
            ? CheckInput(inInterface, packet)
            : CheckForward(inInterface, outInterface ?? throw new ArgumentNullException(nameof(outInterface), "a forwarded packet leaves through an interface"));

    /// <summary>Whether a new connection entering by <paramref name="inInterface"/> is forwarded out of <paramref name="outInterface"/>.</summary>
    public bool Forwards(string inInterface, string outInterface) => CheckForward(inInterface, outInterface) is null;

    /// <summary>What lets a packet through the zones, for traces.</summary>
    public string Accepting(Chain chain, string inInterface, string? outInterface, Packet packet)
    {
        var ingress = ZoneOf(inInterface);
        if (ingress.Target == FirewalldTarget.Accept)
        {
            return $"firewalld zone '{ingress.Name}' of {inInterface} (target ACCEPT)";
        }
        return chain == Chain.Input || outInterface is null
            ? $"firewalld zone '{ingress.Name}' of {inInterface}{(packet.Protocol == Protocol.Icmp ? "" : $" opens {packet.DestinationPort}/{packet.Protocol.Name()}")}"
            : ZoneOf(outInterface) == ingress
                ? $"firewalld zone '{ingress.Name}' forwards {inInterface} → {outInterface}"
                : $"firewalld policy {ingress.Name}-to-{ZoneOf(outInterface).Name}";
    }

    /// <summary>
    /// Why a packet conntrack calls INVALID is dropped here, or null: a TCP or ICMP reply on a host that never saw its
    /// request (a SYN-ACK, RST or echo reply opens no connection; an ICMP error relates to none). firewalld drops such
    /// packets before its zones (<c>ct state invalid drop</c>).
    /// </summary>
    public FilterDrop? CheckInvalid(Host host, Packet packet) =>
        packet.Protocol == Protocol.Udp
            ? null
            : new FilterDrop($"firewalld drops {packet} as INVALID: a {packet.Protocol.Name()} reply whose request {host.Name} never saw (it went another way)",
                $"route the reply back through {host.Name}, the way its request went (symmetric routing), or masquerade the request on a node both directions cross");

    /// <summary>
    /// Why the packets of a TCP connection that follow its SYN are dropped here, or null: the host forwarded the SYN, but
    /// the SYN-ACK went another way, so conntrack takes the client's ACK and data for INVALID (an ACK in state SYN_SENT),
    /// and firewalld drops them. The handshake completes at both ends; the connection then carries nothing.
    /// </summary>
    public FilterDrop? CheckOneWayTcp(Host host, Packet packet) =>
        packet.Protocol != Protocol.Tcp
            ? null
            : new FilterDrop($"firewalld drops the packets of {packet} after its SYN as INVALID: {host.Name} forwarded the SYN, but the SYN-ACK went another way (the connection opens, then carries nothing)",
                $"route the reply back through {host.Name}, the way its request went (symmetric routing), or masquerade the request on {host.Name}");

    private FilterDrop? CheckInput(string inInterface, Packet packet)
    {
        var zone = ZoneOf(inInterface);
        if (zone.Target == FirewalldTarget.Accept)
        {
            return null;
        }
        if (packet.Protocol == Protocol.Icmp)
        {
            if (zone.Target != FirewalldTarget.Default)
            {
                return new FilterDrop($"firewalld zone '{zone.Name}' of {inInterface} (target {TargetName(zone.Target)}) refuses ICMP",
                    $"firewall-cmd --permanent --zone={zone.Name} --set-target=default && firewall-cmd --reload");
            }
            return !zone.BlocksIcmp(EchoRequest)
                ? null
                : zone.IcmpBlockInversion
                    ? new FilterDrop($"firewalld zone '{zone.Name}' of {inInterface} inverts its ICMP blocks and does not list {EchoRequest}: it refuses the ping",
                        $"firewall-cmd --zone={zone.Name} --add-icmp-block={EchoRequest} (with the inversion, a listed type is let in)")
                    : new FilterDrop($"firewalld zone '{zone.Name}' of {inInterface} blocks ICMP {EchoRequest}: it refuses the ping",
                        $"firewall-cmd --zone={zone.Name} --remove-icmp-block={EchoRequest}");
        }
        var port = $"{packet.DestinationPort}/{packet.Protocol.Name()}";
        return zone.OpenPorts.Contains((packet.Protocol, packet.DestinationPort))
            ? null
            : new FilterDrop($"firewalld zone '{zone.Name}' of {inInterface} does not open {port}", $"firewall-cmd --zone={zone.Name} --add-port={port}");
    }

    /// <summary>
    /// firewalld ≥ 1.0 dispatches a forwarded packet by its ingress zone: a zone with target ACCEPT takes it; else within one
    /// zone it passes when the zone forwards and the egress interface was added to that zone; across zones only along a policy.
    /// </summary>
    private FilterDrop? CheckForward(string inInterface, string outInterface)
    {
        var ingress = ZoneOf(inInterface);
        if (ingress.Target == FirewalldTarget.Accept)
        {
            return null;
        }
        var egress = ZoneOf(outInterface);
        var pair = $"{inInterface} → {outInterface}";
        if (ingress != egress)
        {
            var policy = $"{ingress.Name}-to-{egress.Name}";
            return ForwardPolicies.Contains((ingress.Name, egress.Name))
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

    /// <summary>firewalld's name of the ICMP type a flow's ping sends (the same for IPv4 and IPv6).</summary>
    private const string EchoRequest = "echo-request";

    private static readonly (FirewalldTarget Target, string Name)[] TargetNames =
        [(FirewalldTarget.Default, "default"), (FirewalldTarget.Accept, "ACCEPT"), (FirewalldTarget.Drop, "DROP"), (FirewalldTarget.Reject, "%%REJECT%%")];

    /// <summary>The target as firewall-cmd prints it.</summary>
    public static string TargetName(FirewalldTarget target) => TargetNames.First(t => t.Target == target).Name;

    /// <summary>A target as firewall-cmd prints it (a zone's REJECT is "%%REJECT%%"); false for anything else.</summary>
    public static bool TryParseTarget(string name, out FirewalldTarget target)
    {
        var found = TargetNames.Where(t => t.Name == name).Select(t => (FirewalldTarget?)t.Target).FirstOrDefault();
        target = found ?? FirewalldTarget.Default;
        return found is not null;
    }
}
