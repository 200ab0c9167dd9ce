using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Namespaces;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// sitewired's TUN and UDP offloads (on by default, off with SITEWIRED_OFFLOAD=0): large TCP transfers between
/// sitewired ends, against wireguard-go in both directions (sitewired splitting the kernel's super-packets as sender,
/// coalescing as receiver), with offloads off, IPv6 inside and outside; UDP at full MTU, also sent as one UDP GSO
/// super-packet into the tunnel; and an MTU change in the middle of a transfer.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class OffloadTests(ITestOutputHelper output)
{
    private const long LargeTransfer = 1_000_000_000;
    private const string S = WireGuardImplementation.Sitewired;
    private const string G = WireGuardImplementation.WireGuardGo;
    private static readonly Dictionary<string, string> OffloadOff = new() { ["SITEWIRED_OFFLOAD"] = "0" };

    public static TheoryData<string, string, IpFamily, bool> TransferRows => new()
    {
        { S, S, IpFamily.V4, true },
        { S, G, IpFamily.V4, true },
        { G, S, IpFamily.V4, true },
        { S, S, IpFamily.V4, false },
        { S, S, IpFamily.V6, true },
    };

    [Theory]
    [MemberData(nameof(TransferRows))]
    public async Task A_1_GB_TCP_transfer_arrives_with_matching_SHA256(string sender, string receiver, IpFamily family, bool offload)
    {
        using var pair = TunnelPair.Create(sender, receiver, family, output, offload ? null : OffloadOff);
        Assert.True(pair.Handshake(family), $"no handshake\n{pair.Describe()}");

        var result = await TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.Inner(family), LargeTransfer, TimeSpan.FromMinutes(6));

        output.WriteLine(result.ToString());
        Assert.Equal(LargeTransfer, result.ReceivedBytes);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        foreach (var node in new[] { pair.A, pair.B }.Where(n => n.Daemon.Implementation == S))
        {
            var log = node.Daemon.Log.Tail("", 300);
            Assert.Contains(offload ? "tun offloads: csum tso4 tso6" : "tun offloads off (SITEWIRED_OFFLOAD)", log);
            Assert.Contains(offload ? "udp offloads: gso gro" : "udp offloads off (SITEWIRED_OFFLOAD)", log);
        }
        Assert.True(pair.A.Daemon.IsRunning && pair.B.Daemon.IsRunning, pair.Describe());
    }

    public static TheoryData<string, string, IpFamily, bool> UdpRows => new()
    {
        { S, S, IpFamily.V4, false },
        { S, S, IpFamily.V6, false },
        { S, S, IpFamily.V4, true },
        { S, S, IpFamily.V6, true },
        { S, G, IpFamily.V4, true },
        { G, S, IpFamily.V6, true },
    };

    /// <summary>
    /// Datagrams of the largest size the tunnel carries unfragmented cross intact; with <paramref name="segmented"/> the
    /// sender hands them to its kernel as UDP GSO super-packets, which reach sitewired's TUN whole (USO).
    /// </summary>
    [Theory]
    [MemberData(nameof(UdpRows))]
    public void UDP_at_full_MTU_crosses_intact(string sender, string receiver, IpFamily family, bool segmented)
    {
        using var pair = TunnelPair.Create(sender, receiver, family, output);
        Assert.True(pair.Handshake(family), $"no handshake\n{pair.Describe()}");
        var payloadSize = TunnelPair.Mtu - (family == IpFamily.V4 ? 28 : 48);
        const int Datagrams = 800;
        const int PerSend = 8;
        var destination = new IPEndPoint(pair.B.Inner(family), 9311);

        using var listener = NamespaceThread.Run(pair.B.Namespace.Name, () => new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        listener.ReceiveBufferSize = 8 << 20;
        listener.Bind(destination);
        listener.ReceiveTimeout = 2000;
        using var client = NamespaceThread.Run(pair.A.Namespace.Name, () => new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        if (segmented)
        {
            Span<byte> size = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(size, payloadSize);
            client.SetRawSocketOption(17, 103, size);
        }
        client.Connect(destination);
        var buffer = new byte[payloadSize * PerSend];
        for (var first = 0; first < Datagrams; first += PerSend)
        {
            for (var i = 0; i < PerSend; i++)
            {
                Fill(buffer.AsSpan(i * payloadSize, payloadSize), first + i);
            }
            if (segmented)
            {
                client.Send(buffer);
            }
            else
            {
                for (var i = 0; i < PerSend; i++)
                {
                    client.Send(buffer.AsSpan(i * payloadSize, payloadSize));
                }
            }
            Thread.Sleep(1);
        }

        var received = new HashSet<int>();
        var datagram = new byte[65536];
        try
        {
            while (received.Count < Datagrams)
            {
                var length = listener.Receive(datagram);
                Assert.Equal(payloadSize, length);
                var sequence = BinaryPrimitives.ReadInt32BigEndian(datagram);
                var expected = new byte[payloadSize];
                Fill(expected, sequence);
                Assert.True(expected.AsSpan().SequenceEqual(datagram.AsSpan(0, length)), $"datagram {sequence} altered");
                received.Add(sequence);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
        }
        output.WriteLine($"{received.Count} of {Datagrams} datagrams of {payloadSize} B arrived intact");
        Assert.True(received.Count >= Datagrams * 9 / 10, $"only {received.Count} of {Datagrams} arrived\n{pair.Describe()}");
    }

    /// <summary>The tunnel MTU lowered and raised again at both ends during a transfer: the transfer completes intact.</summary>
    [Theory]
    [InlineData(S, S)]
    [InlineData(S, G)]
    [InlineData(G, S)]
    public async Task An_MTU_change_during_a_transfer_is_honoured(string sender, string receiver)
    {
        using var pair = TunnelPair.Create(sender, receiver, IpFamily.V4, output);
        Assert.True(pair.Handshake(IpFamily.V4), $"no handshake\n{pair.Describe()}");
        const long Bytes = 200_000_000;

        var transfer = TcpTransfer.RunAsync(pair.A.Namespace, pair.B.Namespace, pair.B.InnerV4, Bytes, TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var mtu in new[] { "1280", "1380" })
        {
            foreach (var node in new[] { pair.A, pair.B })
            {
                node.Namespace.Exec("ip", "link", "set", node.InterfaceName, "mtu", mtu).EnsureSuccess();
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var result = await transfer;

        output.WriteLine(result.ToString());
        Assert.Equal(Bytes, result.ReceivedBytes);
        Assert.Equal(result.SentSha256, result.ReceivedSha256);
        Assert.True(pair.A.Daemon.IsRunning && pair.B.Daemon.IsRunning, pair.Describe());
    }

    private static void Fill(Span<byte> datagram, int sequence)
    {
        BinaryPrimitives.WriteInt32BigEndian(datagram, sequence);
        Span<byte> seed = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(seed, sequence);
        var hash = SHA256.HashData(seed);
        for (var i = 4; i < datagram.Length; i++)
        {
            datagram[i] = (byte)(hash[i % hash.Length] ^ i);
        }
    }
}
