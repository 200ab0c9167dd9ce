using System.Diagnostics;
using System.Net;
using Sitewire.Host.Namespaces;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Io.Linux;

namespace Sitewire.Tunnel.Tests.Io;

/// <summary>Two real binds talking over loopback inside a namespace of the test's own.</summary>
[Trait("Needs", "root")]
public sealed class UdpBindTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespace _ns = NetworkNamespace.Create(NetworkNamespace.UniquePrefix() + "ub");
    private readonly UdpBind _sender = new();
    private readonly UdpBind _receiver = new();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Moves_a_batch_both_ways_over_loopback(string address)
    {
        var (senderPort, receiverPort) = NamespaceThread.Run(_ns.Name, () => (_sender.Open(0), _receiver.Open(0)));
        const int count = 100;
        var buffers = Enumerable.Range(0, count).Select(i => Datagram(i, 8)).ToArray();
        var sizes = Enumerable.Range(0, count).Select(i => 100 + i).ToArray();

        _sender.Send(buffers, sizes, count, 8, Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Parse(address), receiverPort)));
        var (received, batches) = await ReceiveAsync(_receiver, count);

        Assert.Equal(Enumerable.Range(0, count).Select(i => (100 + i, (byte)i)), received.Select(d => (d.Size, d.First)));
        Assert.All(received, d => Assert.Equal(Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Parse(address), senderPort)), d.From));
        Assert.True(batches < count, $"{batches} receive calls for {count} datagrams");

        _receiver.Send([Datagram(7, 0)], [50], 1, 0, received[0].From);
        var (reply, _) = await ReceiveAsync(_sender, 1);
        Assert.Equal((50, (byte)7), (reply[0].Size, reply[0].First));
    }

    [Fact]
    public void IPv4_and_IPv6_share_the_port_with_large_buffers_and_the_mark()
    {
        var port = NamespaceThread.Run(_ns.Name, () => _receiver.Open(0));

        _receiver.SetMark(0x55);

        var sockets = _ns.Exec("ss", "-uamne").EnsureSuccess().StandardOutput;
        var ours = sockets.Split('\n').Where(line => line.Contains($":{port} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, ours.Count);
        Assert.Contains(ours, line => line.Contains($"0.0.0.0:{port}", StringComparison.Ordinal));
        Assert.Contains(ours, line => line.Contains($"[::]:{port}", StringComparison.Ordinal) || line.Contains($"*:{port}", StringComparison.Ordinal));
        Assert.All(ours, line => Assert.Contains("fwmark:0x55", line, StringComparison.Ordinal));
        Assert.Equal(2, CountOccurrences(sockets, $"rb{2 * UdpBind.SocketBufferBytes}"));
    }

    [Fact]
    public void A_port_in_use_is_refused_with_EADDRINUSE()
    {
        var port = NamespaceThread.Run(_ns.Name, () => _receiver.Open(0));

        var error = Assert.Throws<ConfigurationException>(() => NamespaceThread.Run(_ns.Name, () => _sender.Open(port)));

        Assert.Equal(Errnos.EADDRINUSE, error.Errno);
    }

    [Fact]
    public async Task A_port_in_use_leaves_the_old_port_serving()
    {
        var (oldPort, squatted) = NamespaceThread.Run(_ns.Name, () => (_receiver.Open(0), _sender.Open(0)));

        var error = Assert.Throws<ConfigurationException>(() => NamespaceThread.Run(_ns.Name, () => _receiver.Open(squatted)));
        _sender.Send([Datagram(5, 0)], [10], 1, 0, Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, oldPort)));
        var (received, _) = await ReceiveAsync(_receiver, 1);

        Assert.Equal(Errnos.EADDRINUSE, error.Errno);
        Assert.Equal((10, (byte)5), (received[0].Size, received[0].First));
    }

    [Fact]
    public void Reopening_the_port_in_use_is_allowed()
    {
        var port = NamespaceThread.Run(_ns.Name, () => _receiver.Open(0));

        Assert.Equal(port, NamespaceThread.Run(_ns.Name, () => _receiver.Open(port)));
    }

    [Fact]
    public async Task Close_ends_a_pending_receive()
    {
        NamespaceThread.Run(_ns.Name, () => _receiver.Open(0));
        var receive = Task.Factory.StartNew(() => _receiver.Receive([new byte[2048]], new int[1], new Endpoint[1]),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(200);

        _receiver.Close();

        Assert.Equal(0, await receive.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Reopening_moves_to_the_new_port()
    {
        var first = NamespaceThread.Run(_ns.Name, () => _receiver.Open(0));
        var senderPort = NamespaceThread.Run(_ns.Name, () => _sender.Open(0));

        var second = NamespaceThread.Run(_ns.Name, () => _receiver.Open((ushort)(first == 65535 ? 40000 : first + 1)));
        _sender.Send([Datagram(3, 0)], [10], 1, 0, Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, second)));
        var (received, _) = await ReceiveAsync(_receiver, 1);

        Assert.Equal(Endpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, senderPort)), received[0].From);
    }

    private static byte[] Datagram(int marker, int offset)
    {
        var buffer = new byte[PacketBuffers.BufferSize];
        buffer[offset] = (byte)marker;
        return buffer;
    }

    private static int CountOccurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static Task<(List<(int Size, byte First, Endpoint From)> Received, int Batches)> ReceiveAsync(UdpBind bind, int count) =>
        Task.Factory.StartNew(
            () =>
            {
                var received = new List<(int Size, byte First, Endpoint From)>();
                var buffers = Enumerable.Range(0, bind.BatchSize).Select(_ => new byte[PacketBuffers.BufferSize]).ToArray();
                var sizes = new int[bind.BatchSize];
                var endpoints = new Endpoint[bind.BatchSize];
                var batches = 0;
                var watch = Stopwatch.StartNew();
                while (received.Count < count && watch.Elapsed < Timeout)
                {
                    var n = bind.Receive(buffers, sizes, endpoints);
                    batches++;
                    for (var i = 0; i < n; i++)
                    {
                        received.Add((sizes[i], buffers[i][0], endpoints[i]));
                    }
                }
                return (received, batches);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(Timeout);

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _ns.Dispose();
    }
}
