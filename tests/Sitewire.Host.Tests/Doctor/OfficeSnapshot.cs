using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>The seed lab's office node as recorded (healthy), for injecting one fault at a time.</summary>
internal static class OfficeSnapshot
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795646420);

    public static WireGuardPeerState Relay { get; } = new(
        "OIZgMpSg2opdmqx8Pze4E2gkjeGk4crHdctyAUI6ATg=", false, "203.0.113.10:51820",
        ["192.168.200.0/24", "192.168.3.0/24"], Now.AddSeconds(-10), 3196, 3508, 20);

    public static NodeSnapshot Healthy() => new(
        [new WireGuardInterfaceState("wireguard0", "116NS0QQwp2le5onudaK18lKeUdVZfs/6J+PEeXBrzk=", 52435, "off", [Relay])],
        IpJson.ParseLinks(Recorded.Read("office.link.json")),
        IpJson.ParseAddresses(Recorded.Read("office.addr.json")),
        IpJson.ParseRoutes(Recorded.Read("office.routes.json"), IpFamily.V4),
        DefaultPolicyRules.Both,
        NftJson.Parse(Recorded.Read("office-iptables-nft.nft.json")).Merge(RecordedClamps.Nft("wireguard0")),
        new Dictionary<string, string> { ["net/ipv4/ip_forward"] = "1", ["net/ipv4/conf/all/rp_filter"] = "0", ["net/ipv4/conf/wireguard0/rp_filter"] = "0" },
        new Dictionary<string, EndpointRoute> { ["203.0.113.10"] = new("wan0", "100.64.1.2", null) },
        null,
        Now);

    public static IReadOnlyList<DoctorFinding> Problems(NodeSnapshot snapshot, DoctorExpectation? expectation = null) =>
        [.. Assert.Single(NodeDoctor.Examine(snapshot, "wireguard0", expectation)).Findings.Where(f => f.Status == CheckStatus.Problem)];
}
