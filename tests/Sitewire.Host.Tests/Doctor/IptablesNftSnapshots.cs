using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// Debian/Ubuntu nodes as recorded in their labs, on the firewall verify assumes, written with iptables-nft (Debian 12's
/// `iptables`): FORWARD policy DROP, `-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`, and the planned
/// `-I FORWARD -i X -o Y -m comment --comment sitewire-IFACE -j ACCEPT` both ways. The seed's home node (IPv4) and
/// examples/dualstack.yaml's branch (IPv4 and IPv6), read as the doctor reads them: nft JSON plus iptables-save.
/// </summary>
internal static class IptablesNftSnapshots
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795658690);

    /// <summary>The seed's home node; <paramref name="withIptablesSave"/> false: as on a host where `iptables-save` cannot be read.</summary>
    public static NodeSnapshot Home(bool withIptablesSave = true) => Snapshot(
        "home-seed",
        new WireGuardInterfaceState("wireguard0", "458On2yA2xnaZ2sQAnlLIpflgyPM0LWJcwsQ12nMh3E=", 59784, "off",
        [
            new WireGuardPeerState("HXi6f0hwTNA5CaUZSzGZdCktY/zIg8crKXbApzsPKHg=", false, "203.0.113.10:51820",
                ["172.17.50.0/24", "172.18.3.0/24", "192.168.200.0/24"], Now.AddSeconds(-11), 3232, 3284, 20),
        ]),
        "203.0.113.10",
        ipv6Forwarding: "0",
        withIptablesSave).WithClamps("wireguard0", IpFamily.V4);

    /// <summary>examples/dualstack.yaml's branch node.</summary>
    public static NodeSnapshot Branch() => Snapshot(
        "branch-dualstack",
        new WireGuardInterfaceState("wg0", "d4zkT/RHGS6pC7UeXox0XoB1wCbsR5yNqddLZYANBGI=", 59415, "off",
        [
            new WireGuardPeerState("fvL6EiKlbL5tGmqYUuHtIvV1HZ6JvyC1Tqy1J6KwdXk=", false, "203.0.113.60:51820",
                ["10.10.0.0/24", "10.60.0.0/24", "fd00:10:10::/64", "fd00:60::/64"], Now.AddSeconds(-2), 15776, 10484, 25),
        ]),
        "203.0.113.60",
        ipv6Forwarding: "1",
        withIptablesSave: true).WithClamps("wg0-dualstack", IpFamily.V4, IpFamily.V6);

    /// <summary>The plan's MSS clamps of the families merged in (<see cref="RecordedClamps"/>).</summary>
    private static NodeSnapshot WithClamps(this NodeSnapshot snapshot, string recording, params IpFamily[] families) =>
        snapshot with { Ruleset = families.Aggregate(snapshot.Ruleset, (ruleset, family) => ruleset.Merge(RecordedClamps.Iptables(recording, family))) };

    /// <summary>The snapshot without the planned forward accept of the family from one interface to another.</summary>
    public static NodeSnapshot WithoutForwardAccept(this NodeSnapshot snapshot, IpFamily family, string inInterface, string outInterface) =>
        snapshot.WithoutRules(r => r.Family == family.Nft && r.Chain == "FORWARD" && r.Verdict == "accept"
            && r.Matches.GetValueOrDefault("iifname") == inInterface && r.Matches.GetValueOrDefault("oifname") == outInterface);

    public static IReadOnlyList<DoctorFinding> Findings(NodeSnapshot snapshot) =>
        Assert.Single(NodeDoctor.Examine(snapshot, null)).Findings;

    private static NodeSnapshot Snapshot(string recorded, WireGuardInterfaceState wireGuard, string endpoint, string ipv6Forwarding, bool withIptablesSave) => new(
        [wireGuard],
        IpJson.ParseLinks(Recorded.Read($"{recorded}.link.json")),
        IpJson.ParseAddresses(Recorded.Read($"{recorded}.addr.json")),
        [.. IpJson.ParseRoutes(Recorded.Read($"{recorded}.routes.json"), IpFamily.V4), .. IpJson.ParseRoutes(Recorded.Read($"{recorded}.routes6.json"), IpFamily.V6)],
        DefaultPolicyRules.Both,
        IptablesNftTables.Read(Recorded.Read($"{recorded}.nft.json"),
            family => withIptablesSave ? Recorded.Read($"{recorded}.{family.Iptables}-save.txt") : null),
        new Dictionary<string, string>
        {
            ["net/ipv4/ip_forward"] = "1",
            ["net/ipv6/conf/all/forwarding"] = ipv6Forwarding,
            ["net/ipv4/conf/all/rp_filter"] = "0",
            [$"net/ipv4/conf/{wireGuard.Name}/rp_filter"] = "0",
        },
        new Dictionary<string, EndpointRoute> { [endpoint] = new("wan0", "100.64.2.2", null) },
        null,
        Now);
}
