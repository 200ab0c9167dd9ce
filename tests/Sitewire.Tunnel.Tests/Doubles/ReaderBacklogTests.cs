using System.Net;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Tests.Doubles;

/// <summary>The in-memory doubles count what their reader has not finished with, until it comes back for more.</summary>
public sealed class ReaderBacklogTests
{
    private static readonly Endpoint Sender = Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 7));

    [Fact]
    public void A_datagram_is_unfinished_until_the_reader_asks_for_the_next()
    {
        using var bind = OpenBindHolding([1], [2]);
        var buffers = new[] { new byte[16] };
        var sizes = new int[1];
        var sources = new Endpoint[1];
        Assert.Equal(2, bind.Unfinished);

        Assert.Equal(1, bind.Receive(buffers, sizes, sources));
        Assert.Equal(2, bind.Unfinished);
        Assert.Equal(1, bind.Receive(buffers, sizes, sources));
        Assert.Equal(1, bind.Unfinished);
    }

    [Fact]
    public void Datagrams_left_queued_when_the_bind_closes_are_finished()
    {
        using var bind = OpenBindHolding([1]);

        bind.Close();

        Assert.Equal(0, bind.Unfinished);
    }

    [Fact]
    public void An_injected_packet_is_unfinished_until_the_reader_asks_for_the_next()
    {
        using var tun = new MemoryTun();
        tun.Inject([1]);
        tun.Inject([2]);
        var buffers = new[] { new byte[16] };
        var sizes = new int[1];
        Assert.Equal(2, tun.Unfinished);

        Assert.Equal(1, tun.Read(buffers, sizes, 0));
        Assert.Equal(2, tun.Unfinished);
        Assert.Equal(1, tun.Read(buffers, sizes, 0));
        Assert.Equal(1, tun.Unfinished);
    }

    private static MemoryBind OpenBindHolding(params byte[][] datagrams)
    {
        var network = new MemoryNetwork();
        var bind = network.CreateBind("192.0.2.9");
        bind.Open(9);
        foreach (var datagram in datagrams)
        {
            Assert.True(network.Deliver(Sender, bind.LocalEndpoint, datagram));
        }
        return bind;
    }
}
