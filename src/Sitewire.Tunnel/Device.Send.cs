using System.Buffers.Binary;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>
/// Outbound flow (wireguard-go send.go): the TUN reader reads a batch of packets, each at
/// <see cref="PacketBatch.HeaderRoom"/> so that sealing happens in place, finds each packet's peer by
/// destination in the allowed-ips trie and stages it with that peer; then every peer touched moves its
/// staged packets into batches with counters in order (<see cref="Peer.SendStaged"/>). Crypto workers seal
/// the batches; the peer's sequential sender (<see cref="SendBatch"/>) sends them in order, batched, to
/// the peer's current endpoint.
/// </summary>
public sealed partial class Device
{
    private void RunTunReader()
    {
        var batchSize = Math.Clamp(_tun.BatchSize, 1, PacketBatch.Capacity);
        var buffers = new byte[batchSize][];
        var sizes = new int[batchSize];
        var touched = new Peer[batchSize];
        _buffers.Rent(buffers, batchSize);
        Span<byte> destination = stackalloc byte[16];
        while (!_stopping.IsCancellationRequested)
        {
            var count = _tun.Read(buffers, sizes, PacketBatch.HeaderRoom);
            if (count <= 0)
            {
                return;
            }
            var allowedIps = _allowedIps;
            var touchedCount = 0;
            for (var i = 0; i < count; i++)
            {
                var packet = buffers[i].AsSpan(PacketBatch.HeaderRoom, sizes[i]);
                var addressLength = ReadAddress(packet, destination, source: false);
                var peer = addressLength == 0 ? null : allowedIps.Lookup(destination[..addressLength]);
                if (peer is null)
                {
                    Drop(DropReason.NoRoute, addressLength switch
                    {
                        4 => Endpoint.FromIPv4(destination, 0),
                        16 => Endpoint.FromIPv6(destination, 0),
                        _ => default,
                    });
                    continue;
                }
                peer.Stage(buffers[i], sizes[i]);
                buffers[i] = _buffers.Rent();
                if (Array.IndexOf(touched, peer, 0, touchedCount) < 0)
                {
                    touched[touchedCount++] = peer;
                }
            }
            for (var i = 0; i < touchedCount; i++)
            {
                touched[i].SendStaged();
                touched[i] = null!;
            }
        }
    }

    /// <summary>Sequential sender: the batch is sealed; send it to the peer's endpoint as one batch.</summary>
    private void SendBatch(PacketBatch batch)
    {
        var peer = batch.Peer;
        var endpoint = peer.Endpoint;
        if (endpoint.IsEmpty)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                peer.Drop(DropReason.NoEndpoint);
            }
            return;
        }
        if (!_bind.Send(batch.Buffers, batch.Sizes, batch.Count, 0, endpoint))
        {
            peer.ForgetLocal(endpoint);
        }
        long bytes = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            bytes += batch.Sizes[i];
        }
        peer.OnBatchSent(batch, bytes);
    }

    /// <summary>
    /// Writes the packet's destination (or source) address to <paramref name="address"/>; returns its
    /// length (4 or 16), or 0 when the packet is not a whole IPv4 or IPv6 header.
    /// </summary>
    internal static int ReadAddress(ReadOnlySpan<byte> packet, Span<byte> address, bool source)
    {
        if (packet.IsEmpty)
        {
            return 0;
        }
        switch (packet[0] >> 4)
        {
            case 4 when packet.Length >= 20:
                packet.Slice(source ? 12 : 16, 4).CopyTo(address);
                return 4;
            case 6 when packet.Length >= 40:
                packet.Slice(source ? 8 : 24, 16).CopyTo(address);
                return 16;
            default:
                return 0;
        }
    }

    /// <summary>The IP packet's own length (IPv4 total length, IPv6 40 + payload length), or 0 when it does not fit in <paramref name="available"/> bytes.</summary>
    internal static int PacketLength(ReadOnlySpan<byte> packet, int available)
    {
        if (available < 1)
        {
            return 0;
        }
        var length = (packet[0] >> 4) switch
        {
            4 when available >= 20 => BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            6 when available >= 40 => 40 + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]),
            _ => 0,
        };
        var minimum = (packet[0] >> 4) == 4 ? 20 : 40;
        return length >= minimum && length <= available ? length : 0;
    }
}
