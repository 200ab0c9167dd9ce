using Sitewire.E2E.Doctor;
using Sitewire.E2E.Lab;
using Sitewire.Planner.Verify;

namespace Sitewire.E2E.Live;

/// <summary>
/// `verify --live` on examples/dualstack.yaml's lab (<see cref="LiveLab"/>): healthy, every flow over both families holds as the lab
/// measures; with each IPv6 fault the doctor tests inject on hq, and a forward accept removed on the branch (iptables, each
/// family), exactly the flows the lab measures as broken are predicted broken, and no other.
/// </summary>
[Collection(LabCollection.Name)]
public class VerifyLiveDualStackLabTests(DualStackLabFixture fixture) : IClassFixture<DualStackLabFixture>
{
    private const string AcceptFromTunnel = "FORWARD -i wg0 -o eth1 -m comment --comment sitewire-wg0 -j ACCEPT";

    private LiveLab Live => new(fixture.Planned, fixture.Lab);

    [Fact]
    public void On_the_healthy_lab_every_flow_holds_as_the_lab_measures() =>
        Assert.DoesNotContain(Live.Measured(expectBroken: false).Findings, f => f.Severity == Severity.Error);

    [Fact]
    public void Ipv6_forwarding_off() =>
        Live.WithFault("hq", "sysctl -w net.ipv6.conf.all.forwarding=0", "sysctl -w net.ipv6.conf.all.forwarding=1");

    /// <summary>hq's LAN hosts route through hq, so no flow needs the masquerade (the doctor warns only): verify --live and the lab agree that nothing breaks.</summary>
    [Fact]
    public void Ipv6_masquerade_removed() =>
        Live.WithFault("hq",
            "nft -a list chain inet sitewire_wg0 postrouting | awk '/ip6 saddr/ { print $NF }' | xargs -r -n1 nft delete rule inet sitewire_wg0 postrouting handle",
            "nft add rule inet sitewire_wg0 postrouting ip6 saddr '{ fd00:60::/64, fd00:10:20::/64 }' oifname eth1 masquerade", breaksAFlow: false);

    [Theory]
    [InlineData("iptables")]
    [InlineData("ip6tables")]
    public void Forward_accept_removed(string iptables) =>
        Live.WithFault("branch", $"{iptables} -D {AcceptFromTunnel}", $"{iptables} -I {AcceptFromTunnel.Replace("FORWARD", "FORWARD 2", StringComparison.Ordinal)}");
}
