using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>Inbound for one peer: keypair confirmation, key freshness and the receive-side timers, per batch.</summary>
public sealed partial class Peer
{
    /// <summary>
    /// The sequential receiver accepted at least one message of <paramref name="batch"/>, whose whole UDP
    /// payloads sum to <paramref name="bytes"/>; <paramref name="hasData"/> when one was not a keepalive.
    /// </summary>
    internal void OnBatchReceived(PacketBatch batch, long bytes, bool hasData)
    {
        if (Keypairs.Next is { } next && ReferenceEquals(next, batch.Keypair))
        {
            List<Keypair> retired = [];
            if (Keypairs.Confirm(next, retired))
            {
                _device.Retire(retired);
                TimersHandshakeComplete();
                SendStaged();
            }
        }
        KeepKeyFreshReceiving();
        TimersAnyAuthenticatedPacketTraversal();
        TimersAnyAuthenticatedPacketReceived();
        AddRxBytes(bytes);
        if (hasData)
        {
            TimersDataReceived();
        }
    }

    /// <summary>
    /// The initiator starts a new handshake shortly before its keypair would be rejected, when data still
    /// arrives on it (wireguard-go keepKeyFreshReceiving), once per keypair.
    /// </summary>
    private void KeepKeyFreshReceiving()
    {
        if (_sentLastMinuteHandshake)
        {
            return;
        }
        var keypair = Keypairs.Current;
        if (keypair is not null && keypair.IsInitiator
            && _device.Time.GetUtcNow() - keypair.Created > Timings.RejectAfterTime - Timings.KeepaliveTimeout - Timings.RekeyTimeout)
        {
            _sentLastMinuteHandshake = true;
            SendHandshakeInitiation(isRetry: false);
        }
    }
}
