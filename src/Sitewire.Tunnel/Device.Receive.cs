using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>
/// Inbound flow (wireguard-go receive.go): the UDP reader receives a batch of datagrams and classifies
/// them: handshake messages are copied to the handshake queue; transport messages are found by receiver
/// index and grouped into one batch per keypair; anything else is counted and dropped. Crypto workers
/// open the batches; the peer's sequential receiver (<see cref="DeliverBatch"/>) checks the replay window,
/// confirms a new keypair, roams the endpoint, checks each inner source against the peer's allowed-ips
/// and writes the packets to the TUN device in order.
/// </summary>
public sealed partial class Device
{
    private const int MaxOpenBatches = 8;

    /// <summary>Buffers of received transport messages now in batches (bounded by <see cref="InboundBuffersLimit"/>).</summary>
    private long _inboundBuffers;

    private void RunUdpReader()
    {
        var batchSize = Math.Clamp(_bind.BatchSize, 1, PacketBatch.Capacity);
        var buffers = new byte[batchSize][];
        var sizes = new int[batchSize];
        var sources = new Endpoint[batchSize];
        var open = new PacketBatch[MaxOpenBatches];
        _buffers.Rent(buffers, batchSize);
        while (!_stopping.IsCancellationRequested)
        {
            var count = _bind.Receive(buffers, sizes, sources);
            if (count <= 0)
            {
                // The bind was closed or reopened on another port: wait a little and receive on the new sockets.
                _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10));
                continue;
            }
            var openCount = 0;
            var now = Time.GetUtcNow();
            for (var i = 0; i < count; i++)
            {
                var message = buffers[i].AsSpan(0, sizes[i]);
                switch (MessageType.Of(message))
                {
                    case Constants.MessageTransportType:
                        if (Interlocked.Read(ref _inboundBuffers) >= InboundBuffersLimit)
                        {
                            Drop(DropReason.BuffersExhausted, sources[i]);
                        }
                        else if (ClassifyTransport(buffers[i], sizes[i], sources[i], now, open, ref openCount))
                        {
                            Interlocked.Increment(ref _inboundBuffers);
                            buffers[i] = _buffers.Rent();
                        }
                        break;
                    case Constants.MessageInitiationType or Constants.MessageResponseType or Constants.MessageCookieReplyType:
                        EnqueueHandshake(message, sources[i]);
                        break;
                    default:
                        Drop(DropReason.Malformed, sources[i]);
                        break;
                }
            }
            for (var i = 0; i < openCount; i++)
            {
                Submit(open[i]);
                open[i] = null!;
            }
        }
    }

    /// <summary>Adds a transport message to its keypair's open batch; false (dropped and counted) when no live keypair has its index.</summary>
    private bool ClassifyTransport(byte[] buffer, int size, Endpoint source, DateTimeOffset now, PacketBatch[] open, ref int openCount)
    {
        var receiver = MessageTransportHeader.ReadReceiver(buffer);
        if (!Sessions.TryGet(receiver, out var session) || session.Keypair is not { } keypair)
        {
            Drop(DropReason.UnknownIndex, source);
            return false;
        }
        if (now - keypair.Created >= Timings.RejectAfterTime)
        {
            session.Peer.Drop(DropReason.KeypairExpired, source);
            return false;
        }
        var slot = 0;
        while (slot < openCount && !ReferenceEquals(open[slot].Keypair, keypair))
        {
            slot++;
        }
        if (slot == openCount)
        {
            if (openCount == open.Length)
            {
                Submit(open[0]);
                Array.Copy(open, 1, open, 0, openCount - 1);
                slot = --openCount;
            }
            open[slot] = RentBatch(session.Peer, keypair, isOutbound: false);
            openCount++;
        }
        var batch = open[slot];
        batch.Add(buffer, size, source);
        if (batch.IsFull)
        {
            Submit(batch);
            Array.Copy(open, slot + 1, open, slot, openCount - slot - 1);
            open[--openCount] = null!;
        }
        return true;
    }

    /// <summary>Sequential receiver: the batch is opened; accept, account and deliver its packets in order.</summary>
    private void DeliverBatch(PacketBatch batch)
    {
        var peer = batch.Peer;
        var keypair = batch.Keypair;
        var allowedIps = _allowedIps;
        Span<byte> source = stackalloc byte[16];
        long bytes = 0;
        var accepted = false;
        var hasData = false;
        var latestSource = default(Endpoint);
        var deliver = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (!batch.Valid[i])
            {
                peer.Drop(DropReason.DecryptionFailed, batch.Sources[i]);
                continue;
            }
            if (!keypair.ReplayWindow.TryAccept(batch.Counters[i]))
            {
                peer.Drop(DropReason.Replayed, batch.Sources[i]);
                continue;
            }
            accepted = true;
            latestSource = batch.Sources[i];
            bytes += batch.Sizes[i];
            var paddedLength = batch.Sizes[i] - Constants.MessageTransportSize;
            if (paddedLength == 0)
            {
                continue;
            }
            hasData = true;
            var packet = batch.Buffers[i].AsSpan(PacketBatch.HeaderRoom, paddedLength);
            var length = PacketLength(packet, paddedLength);
            var addressLength = length == 0 ? 0 : ReadAddress(packet, source, source: true);
            if (addressLength == 0)
            {
                peer.Drop(DropReason.InvalidInnerPacket, batch.Sources[i]);
                continue;
            }
            if (!ReferenceEquals(allowedIps.Lookup(source[..addressLength]), peer))
            {
                peer.Drop(DropReason.SourceNotAllowed, batch.Sources[i]);
                continue;
            }
            (batch.Buffers[deliver], batch.Buffers[i]) = (batch.Buffers[i], batch.Buffers[deliver]);
            batch.Sizes[deliver] = length;
            deliver++;
        }
        if (!accepted)
        {
            return;
        }
        peer.UpdateEndpoint(latestSource);
        peer.OnBatchReceived(batch, bytes, hasData);
        if (deliver > 0)
        {
            _tun.Write(batch.Buffers, batch.Sizes, deliver, PacketBatch.HeaderRoom);
        }
    }
}
