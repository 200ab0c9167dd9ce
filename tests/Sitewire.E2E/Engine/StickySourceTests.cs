using System.Net;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Sticky source address: the listening end (sitewired) has two addresses of the family on one interface; the peer's
/// endpoint is set in turn to each, a ping crosses the tunnel, and the peer's <c>wg show endpoints</c> shows exactly the
/// address it was set to: sitewired answered from the address it was reached on, not from the kernel's first choice;
/// once that address is deleted, sitewired sends from the one the kernel chooses.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StickySourceTests(ITestOutputHelper output)
{
    public static TheoryData<string, IpFamily> Rows => new()
    {
        { WireGuardImplementation.WireGuardGo, IpFamily.V4 },
        { WireGuardImplementation.WireGuardGo, IpFamily.V6 },
        { WireGuardImplementation.Sitewired, IpFamily.V4 },
        { WireGuardImplementation.Sitewired, IpFamily.V6 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Answers_leave_from_the_address_the_peer_set_as_endpoint(string peerImplementation, IpFamily family)
    {
        using var pair = TunnelPair.Create(peerImplementation, WireGuardImplementation.Sitewired, family, output);
        Assert.True(pair.Handshake(IpFamily.V4), $"no handshake\n{pair.Describe()}");
        var second = family == IpFamily.V4 ? IPAddress.Parse("10.200.0.102") : IPAddress.Parse("fd00:200::102");
        pair.B.Namespace.Exec("ip", family == IpFamily.V4 ? "-4" : "-6", "addr", "add",
            $"{second}/{(family == IpFamily.V4 ? 24 : 64)}", "dev", pair.B.OuterLink, "nodad").EnsureSuccess();

        foreach (var address in new[] { second, pair.B.Outer(family), second, pair.B.Outer(family) })
        {
            var endpoint = new IPEndPoint(address, pair.B.ListenPort).ToString();
            pair.A.Daemon.Wg("set", pair.A.InterfaceName, "peer", pair.B.PublicKey, "endpoint", endpoint);
            Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(10)), $"no ping reply via {endpoint}\n{pair.Describe()}");
            Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), $"no second ping reply via {endpoint}\n{pair.Describe()}");
            var shown = pair.A.Daemon.Wg("show", pair.A.InterfaceName, "endpoints").Trim().Split('\t')[^1];
            output.WriteLine($"set {endpoint}, shown {shown}");
            Assert.Equal(endpoint, shown);
        }

        // The address sitewired answers from goes away: it forgets it and lets the kernel choose.
        pair.A.Daemon.Wg("set", pair.A.InterfaceName, "peer", pair.B.PublicKey, "endpoint", new IPEndPoint(second, pair.B.ListenPort).ToString());
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(10)), $"no ping reply via the second address\n{pair.Describe()}");
        pair.B.Namespace.Exec("ip", family == IpFamily.V4 ? "-4" : "-6", "addr", "del",
            $"{second}/{(family == IpFamily.V4 ? 24 : 64)}", "dev", pair.B.OuterLink).EnsureSuccess();
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(10)), $"no ping reply after the address went away\n{pair.Describe()}");
        var after = pair.A.Daemon.Wg("show", pair.A.InterfaceName, "endpoints").Trim().Split('\t')[^1];
        Assert.Equal(new IPEndPoint(pair.B.Outer(family), pair.B.ListenPort).ToString(), after);
    }
}
