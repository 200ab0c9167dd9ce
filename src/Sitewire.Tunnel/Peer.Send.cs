using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>
/// Outbound for one peer: every packet (and keepalive) is staged first; <see cref="SendStaged"/> moves
/// staged packets into batches on the current keypair, taking their counters in order, or starts a
/// handshake when no usable keypair exists (wireguard-go send.go SendStagedPackets).
/// </summary>
public sealed partial class Peer
{
    /// <summary>Queues a packet (at <see cref="PacketBatch.HeaderRoom"/> in <paramref name="buffer"/>) for this peer; the peer owns the buffer now.</summary>
    internal void Stage(byte[] buffer, int size)
    {
        byte[]? evicted;
        lock (_stagedLock)
        {
            evicted = _staged.Add(buffer, size);
        }
        if (evicted is not null)
        {
            Drop(DropReason.StagedOverflow);
            _device.ReturnBuffer(evicted);
        }
    }

    /// <summary>Sends an empty transport message, unless packets are already waiting to go out.</summary>
    internal void SendKeepalive()
    {
        if (!IsRunning)
        {
            return;
        }
        lock (_stagedLock)
        {
            if (_staged.Count == 0)
            {
                _staged.Add(_device.RentBuffer(), 0);
            }
        }
        SendStaged();
    }

    /// <summary>Moves staged packets onto the current keypair, or asks for a handshake when there is none fit to send.</summary>
    internal void SendStaged()
    {
        var needHandshake = false;
        lock (_stagedLock)
        {
            if (_staged.Count == 0 || !IsRunning)
            {
                return;
            }
            var keypair = Keypairs.Current;
            if (keypair is null || !IsFitToSend(keypair))
            {
                needHandshake = true;
            }
            else
            {
                PacketBatch? batch = null;
                while (_staged.Count > 0)
                {
                    if (keypair.SendCounter >= Timings.RejectAfterMessages || !keypair.TryNextSendCounter(out var counter))
                    {
                        needHandshake = true;
                        break;
                    }
                    _staged.TryTake(out var buffer, out var size);
                    batch ??= _device.RentBatch(this, keypair, isOutbound: true);
                    batch.Add(buffer, size, counter);
                    if (batch.IsFull)
                    {
                        _device.Submit(batch);
                        batch = null;
                    }
                }
                if (batch is not null)
                {
                    _device.Submit(batch);
                }
            }
        }
        if (needHandshake)
        {
            SendHandshakeInitiation(isRetry: false);
        }
    }

    /// <summary>The sequential sender sent <paramref name="batch"/>: account it and run the send-side timers.</summary>
    internal void OnBatchSent(PacketBatch batch, long bytes)
    {
        AddTxBytes(bytes);
        TimersAnyAuthenticatedPacketTraversal();
        TimersAnyAuthenticatedPacketSent();
        if (batch.HasData)
        {
            TimersDataSent();
        }
        KeepKeyFreshSending();
    }

    /// <summary>Device or peer came up: start persistent keepalives and flush what waits.</summary>
    internal void OnDeviceStarted()
    {
        if (PersistentKeepaliveInterval > 0)
        {
            SendKeepalive();
        }
        SendStaged();
    }

    /// <summary>The peer is removed or the device stops: timers off, keys and handshake zeroed, staged packets freed.</summary>
    internal void Stop()
    {
        IsRemoved = true;
        StopTimers();
        ZeroAndFlushAll();
    }

    private bool IsFitToSend(Keypair keypair) =>
        keypair.SendCounter < Timings.RejectAfterMessages
        && _device.Time.GetUtcNow() - keypair.Created < Timings.RejectAfterTime;

    /// <summary>The initiator rekeys when its current keypair is old by time or by count.</summary>
    private void KeepKeyFreshSending()
    {
        var keypair = Keypairs.Current;
        if (keypair is null)
        {
            return;
        }
        if (keypair.SendCounter > Timings.RekeyAfterMessages
            || (keypair.IsInitiator && _device.Time.GetUtcNow() - keypair.Created > Timings.RekeyAfterTime))
        {
            SendHandshakeInitiation(isRetry: false);
        }
    }

    private void FlushStaged()
    {
        lock (_stagedLock)
        {
            while (_staged.TryTake(out var buffer, out _))
            {
                Drop(DropReason.StagedOverflow);
                _device.ReturnBuffer(buffer);
            }
        }
    }

    private void ZeroAndFlushAll()
    {
        RetireAllKeypairs();
        lock (_handshakeLock)
        {
            _handshake?.Clear();
            ForgetHandshakeSession();
        }
        FlushStaged();
    }
}
