using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// The container pattern: after creation, the tunnel interface moves into another namespace
/// (`ip link set IF netns NS2`); the daemon's UDP socket stays where it started, and the tunnel keeps working
/// from the new namespace — ping both ways and a TCP transfer.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class NamespaceMoveTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ImplementationMatrix.UnderTest), MemberType = typeof(ImplementationMatrix))]
    public async Task Interface_moved_into_another_namespace_keeps_working(string moved, string peer)
    {
        using var pair = TunnelPair.Create(moved, peer, IpFamily.V4, output);
        var container = pair.AddNamespace("m");
        var link = pair.A.InterfaceName;
        pair.A.Namespace.Exec("ip", "link", "set", link, "netns", container.Name).EnsureSuccess();
        container.Exec("ip", "addr", "add", $"{pair.A.InnerV4}/24", "dev", link).EnsureSuccess();
        container.Exec("ip", "-6", "addr", "add", $"{pair.A.InnerV6}/64", "dev", link, "nodad").EnsureSuccess();
        container.Exec("ip", "link", "set", link, "mtu", TunnelPair.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "up").EnsureSuccess();
        Assert.False(pair.A.Namespace.Exec("ip", "link", "show", link).Succeeded, "the interface did not leave its first namespace");

        Assert.True(Pinger.UntilReply(container, pair.B.InnerV4, TimeSpan.FromSeconds(15)), $"no ping from the new namespace\n{pair.Describe()}");
        Assert.True(Pinger.UntilReply(container, pair.B.InnerV6, TimeSpan.FromSeconds(5)), $"no IPv6 ping from the new namespace\n{pair.Describe()}");
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"no ping into the new namespace\n{pair.Describe()}");
        var result = await TcpTransfer.RunAsync(container, pair.B.Namespace, pair.B.InnerV4, 20_000_000, TimeSpan.FromSeconds(60));

        output.WriteLine(result.ToString());
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.Equal(20_000_000, result.ReceivedBytes);
        Assert.True(pair.A.Daemon.IsRunning, pair.Describe());
        Assert.Equal(pair.A.Endpoint(IpFamily.V4), pair.B.PeerStatus().Endpoint);
    }
}
