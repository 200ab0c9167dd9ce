using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sitewire.Host.Namespaces;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Io.Linux;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Io;

/// <summary>A real TUN interface in a namespace of the test's own, addressed 10.77.0.1/24.</summary>
[Trait("Needs", "root")]
public sealed class TunDeviceTests : IDisposable
{
    private static readonly IPAddress Local = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Remote = IPAddress.Parse("10.77.0.2");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _prefix = NetworkNamespace.UniquePrefix();
    private readonly NetworkNamespace _ns;
    private readonly TunDevice _tun;

    public TunDeviceTests()
    {
        _ns = NetworkNamespace.Create(_prefix + "io");
        _tun = NamespaceThread.Run(_ns.Name, () => TunDevice.Create(_prefix + "t0"));
        _ns.Exec("ip", "addr", "add", "10.77.0.1/24", "dev", _tun.Name).EnsureSuccess();
        _ns.Exec("ip", "link", "set", _tun.Name, "up").EnsureSuccess();
    }

    [Fact]
    public void Reads_a_packet_the_kernel_routes_to_it()
    {
        var payload = "hello through the tunnel"u8.ToArray();
        using var sender = NamespaceThread.Run(_ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

        sender.SendTo(payload, new IPEndPoint(Remote, 9999));
        var packet = ReadUntil(p => Ipv4UdpPacket.IsUdpTo(p, Remote, 9999));

        Assert.Equal(payload, packet[Ipv4UdpPacket.HeaderBytes..]);
    }

    [Fact]
    public void Writes_a_packet_the_kernel_delivers()
    {
        using var receiver = NamespaceThread.Run(_ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        receiver.Bind(new IPEndPoint(Local, 7777));
        receiver.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        var payload = "from the wire"u8.ToArray();

        Write(_tun, Ipv4UdpPacket.Build(Remote, Local, 5555, 7777, payload));

        var buffer = new byte[1500];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var length = receiver.ReceiveFrom(buffer, ref from);
        Assert.Equal(payload, buffer[..length]);
        Assert.Equal(new IPEndPoint(Remote, 5555), from);
    }

    [Fact]
    public void Reads_in_batches()
    {
        using var sender = NamespaceThread.Run(_ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        for (var i = 0; i < 20; i++)
        {
            sender.SendTo(new byte[] { (byte)i }, new IPEndPoint(Remote, 9998));
        }

        var received = 0;
        var largestBatch = 0;
        var watch = Stopwatch.StartNew();
        var buffers = Buffers(32);
        var sizes = new int[32];
        while (received < 20 && watch.Elapsed < Timeout)
        {
            var count = ReadWithTimeout(buffers, sizes);
            largestBatch = Math.Max(largestBatch, count);
            received += Enumerable.Range(0, count).Count(i => Ipv4UdpPacket.IsUdpTo(buffers[i].AsSpan(Offset, sizes[i]), Remote, 9998));
        }

        Assert.Equal(20, received);
        Assert.True(largestBatch > 1, $"largest batch {largestBatch}");
    }

    [Fact]
    public void Reports_and_follows_the_kernel_mtu()
    {
        Assert.Equal(TunDevice.DefaultMtu, _tun.Mtu);

        _ns.Exec("ip", "link", "set", _tun.Name, "mtu", "1280").EnsureSuccess();

        // The value is cached (no ioctl per packet batch) and refreshed by the watcher within a quarter second.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_tun.Mtu != 1280 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        Assert.Equal(1280, _tun.Mtu);
        _ns.Exec("ip", "link", "set", _tun.Name, "mtu", "1400").EnsureSuccess();
        Assert.Equal(1400, _tun.RefreshMtu());
    }

    [Fact]
    public async Task Deleting_the_interface_completes_Closed_and_ends_a_pending_read()
    {
        var read = StartRead();
        await Task.Delay(200);

        _ns.Exec("ip", "link", "del", _tun.Name).EnsureSuccess();

        await _tun.Closed.WaitAsync(Timeout);
        await read.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Deletion_is_seen_when_nobody_reads()
    {
        _ns.Exec("ip", "link", "del", _tun.Name).EnsureSuccess();

        await _tun.Closed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Moving_to_another_namespace_is_not_deletion()
    {
        using var other = NetworkNamespace.Create(_prefix + "mv");
        _ns.Exec("ip", "link", "set", _tun.Name, "netns", other.Name).EnsureSuccess();
        other.Exec("ip", "addr", "add", "10.77.0.1/24", "dev", _tun.Name).EnsureSuccess();
        other.Exec("ip", "link", "set", _tun.Name, "up").EnsureSuccess();
        using var receiver = NamespaceThread.Run(other.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        receiver.Bind(new IPEndPoint(Local, 7777));
        receiver.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        await Task.Delay(600);

        Assert.False(_tun.Closed.IsCompleted);
        Write(_tun, Ipv4UdpPacket.Build(Remote, Local, 5555, 7777, [42]));
        Assert.Equal(1, receiver.Receive(new byte[16]));

        other.Exec("ip", "link", "del", _tun.Name).EnsureSuccess();
        await _tun.Closed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Dispose_ends_a_pending_read()
    {
        var read = StartRead();
        await Task.Delay(200);

        _tun.Dispose();

        Assert.Equal(0, await read.WaitAsync(Timeout));
        Assert.True(_tun.Closed.IsCompleted);
    }

    [Fact]
    public void Refuses_a_name_longer_than_15_bytes()
    {
        Assert.Throws<ArgumentException>(() => TunDevice.Create("a-much-too-long-name"));
    }

    private const int Offset = 16;

    /// <summary>Reads (and drops whatever the kernel sends, such as router solicitations) until Read returns 0.</summary>
    private Task<int> StartRead() =>
        Task.Factory.StartNew(
            () =>
            {
                var buffers = Buffers(8);
                var sizes = new int[8];
                int count;
                while ((count = _tun.Read(buffers, sizes, Offset)) > 0)
                {
                }
                return count;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static byte[][] Buffers(int count) => [.. Enumerable.Range(0, count).Select(_ => new byte[PacketBuffers.BufferSize])];

    private static void Write(ITun tun, byte[] packet)
    {
        var buffer = new byte[PacketBuffers.BufferSize];
        packet.CopyTo(buffer, Offset);
        tun.Write([buffer], [packet.Length], 1, Offset);
    }

    private int ReadWithTimeout(byte[][] buffers, int[] sizes)
    {
        var read = Task.Run(() => _tun.Read(buffers, sizes, Offset));
        if (!read.Wait(Timeout))
        {
            _tun.Dispose();
            throw new TimeoutException("no packet from the TUN device");
        }
        return read.Result;
    }

    /// <summary>Reads until a packet matches (the kernel may also send IPv6 router solicitations and the like).</summary>
    private byte[] ReadUntil(Func<byte[], bool> match)
    {
        var buffers = Buffers(8);
        var sizes = new int[8];
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Timeout)
        {
            var count = ReadWithTimeout(buffers, sizes);
            for (var i = 0; i < count; i++)
            {
                var packet = buffers[i].AsSpan(Offset, sizes[i]).ToArray();
                if (match(packet))
                {
                    return packet;
                }
            }
        }
        throw new TimeoutException("the expected packet did not arrive");
    }

    public void Dispose()
    {
        _tun.Dispose();
        _ns.Dispose();
    }
}
