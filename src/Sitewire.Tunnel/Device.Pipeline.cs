using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>
/// The crypto stage shared by both directions: batches enter their peer's ordered queue and the work
/// queue together; a worker seals or opens every packet of a batch, marks it processed, then drains the
/// peer's ordered queue from the head (send or deliver), so each peer's packets keep their order.
/// </summary>
public sealed partial class Device
{
    /// <summary>The one-element batch <see cref="SendDatagram"/> hands to the bind, one per sending thread.</summary>
    [ThreadStatic]
    private static byte[][]? t_singleDatagram;

    private long _pendingWork;

    /// <summary>Batches in the pipeline plus handshake messages queued or in progress; 0 when the device is idle.</summary>
    internal long PendingWork => Interlocked.Read(ref _pendingWork);

    /// <summary>Packet buffers created so far (each <see cref="PacketBuffers.BufferSize"/> bytes); grows only while more packets are in flight than ever before.</summary>
    internal long BuffersAllocated => _buffers.Allocated;

    internal byte[] RentBuffer() => _buffers.Rent();

    internal void ReturnBuffer(byte[] buffer) => _buffers.Return(buffer);

    internal PacketBatch RentBatch(Peer peer, Keypair keypair, bool isOutbound)
    {
        Interlocked.Increment(ref _pendingWork);
        var batch = _batches.Rent();
        batch.Reset(peer, keypair, isOutbound);
        return batch;
    }

    /// <summary>Hands a batch to the crypto workers in its peer's order; when the work queue is full the caller does the work itself.</summary>
    internal void Submit(PacketBatch batch)
    {
        var ordered = batch.IsOutbound ? batch.Peer.Outbound : batch.Peer.Inbound;
        if (!ordered.TryEnqueue(batch))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch.Peer.Drop(DropReason.QueueFull, batch.IsOutbound ? default : batch.Sources[i]);
            }
            Recycle(batch);
            return;
        }
        if (!_crypto.TryAdd(batch))
        {
            ProcessBatch(batch);
        }
    }

    /// <summary>
    /// Sends the first <paramref name="length"/> bytes of <paramref name="message"/> as one datagram outside the data
    /// path (handshake messages, cookie replies), allocating nothing; false when the bind refused it.
    /// <paramref name="localRefused"/> when the endpoint's local address could not be used (the kernel chose one).
    /// </summary>
    internal bool SendDatagram(byte[] message, int length, Endpoint endpoint) => SendDatagram(message, length, endpoint, out _);

    internal bool SendDatagram(byte[] message, int length, Endpoint endpoint, out bool localRefused)
    {
        var single = t_singleDatagram ??= new byte[1][];
        single[0] = message;
        localRefused = false;
        try
        {
            localRefused = !_bind.Send(single, [length], 1, 0, endpoint);
            return true;
        }
        catch (Exception e)
        {
            LogError($"sending to {endpoint} failed: {e.Message}");
            return false;
        }
        finally
        {
            single[0] = null!;
        }
    }

    /// <summary>Unindexes and zeroes keypairs that left a peer's set.</summary>
    internal void Retire(List<Keypair> keypairs)
    {
        foreach (var keypair in keypairs)
        {
            if (Sessions.TryGet(keypair.LocalIndex, out var session) && ReferenceEquals(session.Keypair, keypair))
            {
                Sessions.Remove(keypair.LocalIndex, session);
            }
            keypair.Clear();
        }
    }

    private void ProcessBatch(PacketBatch batch)
    {
        // Once Processed is set, the thread draining this peer may send, recycle and even reuse the batch for another peer:
        // what Drain needs is read before, and the batch is not touched after.
        var (peer, outbound) = (batch.Peer, batch.IsOutbound);
        try
        {
            if (outbound)
            {
                Seal(batch);
            }
            else
            {
                Open(batch);
            }
        }
        catch (Exception e)
        {
            LogError($"crypto worker: {e}");
            Array.Clear(batch.Valid);
        }
        batch.Processed = true;
        Drain(peer, outbound);
    }

    private void Seal(PacketBatch batch)
    {
        var keypair = batch.Keypair;
        var mtu = _tun.Mtu;
        for (var i = 0; i < batch.Count; i++)
        {
            batch.Sizes[i] = keypair.Seal(batch.Buffers[i], batch.Sizes[i], batch.Counters[i], mtu);
            batch.Valid[i] = true;
        }
    }

    private static void Open(PacketBatch batch)
    {
        var keypair = batch.Keypair;
        for (var i = 0; i < batch.Count; i++)
        {
            batch.Valid[i] = keypair.TryOpen(batch.Buffers[i].AsSpan(0, batch.Sizes[i]), out batch.Counters[i], out _);
        }
    }

    private void Drain(Peer peer, bool outbound)
    {
        var ordered = outbound ? peer.Outbound : peer.Inbound;
        lock (ordered.DrainLock)
        {
            while (ordered.TryTakeProcessed(out var batch))
            {
                try
                {
                    if (outbound)
                    {
                        SendBatch(batch);
                    }
                    else
                    {
                        DeliverBatch(batch);
                    }
                }
                catch (Exception e)
                {
                    LogError($"peer {peer}: {(outbound ? "send" : "receive")} failed: {e.Message}");
                }
                finally
                {
                    Recycle(batch);
                }
            }
        }
    }

    private void Recycle(PacketBatch batch)
    {
        if (!batch.IsOutbound)
        {
            Interlocked.Add(ref _inboundBuffers, -batch.Count);
        }
        batch.Release(_buffers);
        _batches.Return(batch);
        Interlocked.Decrement(ref _pendingWork);
    }
}
