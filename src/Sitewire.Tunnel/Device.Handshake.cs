using System.Collections.Concurrent;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;
using Sitewire.Tunnel.Pipeline;

namespace Sitewire.Tunnel;

/// <summary>
/// Handshake messages run on their own worker behind a bounded queue, so that a flood of initiations
/// cannot starve the data path. Every initiation and response needs a valid mac1. While the queue is
/// long (under load: depth at least 1/8 of capacity, and for a second after), a message without a valid
/// mac2 is answered with a cookie reply instead (wireguard-go receive.go RoutineHandshake, device.go
/// IsUnderLoad), and every handshake message is charged to its source's rate limit before it is queued,
/// not only those with a valid mac2 as in wireguard-go: cookie replies cost the worker a seal and a send
/// each, so a flood from a few addresses without mac2 would otherwise keep the queue full, and a legitimate
/// initiation would find no room in it. Since the limit keeps the queue short, a refusal also keeps the device under
/// load (for a second after it), or the flood would pass unchecked each time the queue had been short for a second.
/// </summary>
public sealed partial class Device
{
    internal const int HandshakeQueueCapacity = 1024;

    private readonly ObjectPool<byte[]> _handshakeBuffers = new(HandshakeQueueCapacity, () => new byte[MessageInitiation.Size]);
    private BlockingCollection<HandshakeMessage> _handshakes = null!;
    private volatile CookieChecker? _cookieChecker;
    private long _underLoadUntil = long.MinValue;

    /// <summary>True while the handshake queue is long, and for <see cref="Constants.UnderLoadAfterTime"/> after.</summary>
    internal bool IsUnderLoad
    {
        get
        {
            var now = Time.GetTimestamp();
            if (_handshakes.Count >= HandshakeQueueCapacity / 8)
            {
                MarkUnderLoad();
                return true;
            }
            var until = Interlocked.Read(ref _underLoadUntil);
            return until != long.MinValue && now < until;
        }
    }

    /// <summary>Puts the device under load now, as a long handshake queue does.</summary>
    internal void MarkUnderLoad() =>
        Interlocked.Exchange(ref _underLoadUntil, Time.GetTimestamp() + (long)(Constants.UnderLoadAfterTime.TotalSeconds * Time.TimestampFrequency));

    private void InitializeHandshakeQueue() => _handshakes = new BlockingCollection<HandshakeMessage>(HandshakeQueueCapacity);

    private void CompleteHandshakeQueue() => _handshakes.CompleteAdding();

    private void OnIdentityChanged(LocalIdentity? identity) =>
        _cookieChecker = identity is null ? null : new CookieChecker(identity, Timings);

    /// <summary>
    /// Copies a handshake message off the UDP reader's buffer into the queue, or counts it dropped: over its source's
    /// rate limit while under load, or the queue full.
    /// </summary>
    private void EnqueueHandshake(ReadOnlySpan<byte> message, Endpoint source)
    {
        if (IsUnderLoad && !RateLimiter.Allow(source))
        {
            MarkUnderLoad();
            Drop(DropReason.RateLimited, source);
            return;
        }
        var buffer = _handshakeBuffers.Rent();
        message.CopyTo(buffer);
        bool added;
        Interlocked.Increment(ref _pendingWork);
        try
        {
            added = _handshakes.TryAdd(new HandshakeMessage(buffer, message.Length, source));
        }
        catch (InvalidOperationException)
        {
            added = false;
        }
        if (!added)
        {
            Interlocked.Decrement(ref _pendingWork);
            _handshakeBuffers.Return(buffer);
            Drop(DropReason.HandshakeQueueFull, source);
        }
    }

    private void RunHandshakeWorker()
    {
        foreach (var item in _handshakes.GetConsumingEnumerable())
        {
            try
            {
                ProcessHandshake(item.Buffer.AsSpan(0, item.Length), item.Source);
            }
            catch (Exception e)
            {
                LogError($"handshake from {item.Source} failed: {e}");
            }
            finally
            {
                _handshakeBuffers.Return(item.Buffer);
                Interlocked.Decrement(ref _pendingWork);
            }
        }
    }

    /// <summary>One handshake message from the queue; runs on the handshake worker (tests call it directly while the queue is idle).</summary>
    internal void ProcessHandshake(ReadOnlySpan<byte> message, Endpoint source)
    {
        var type = MessageType.Of(message);
        var identity = _identity;
        var checker = _cookieChecker;
        if (identity is null || checker is null)
        {
            Drop(DropReason.Unauthenticated, source);
            return;
        }
        var now = Time.GetUtcNow();
        if (type == Constants.MessageCookieReplyType)
        {
            ConsumeCookieReply(message, source, now);
            return;
        }
        if (!checker.CheckMac1(message))
        {
            Drop(DropReason.Unauthenticated, source);
            return;
        }
        if (IsUnderLoad)
        {
            if (!checker.CheckMac2(message, source, now))
            {
                SendCookieReply(checker, message, source, now);
                return;
            }
        }
        if (type == Constants.MessageInitiationType)
        {
            if (!Handshake.TryReadInitiation(identity, message, key => FindPeer(key)?.Handshake, now, out var handshake, out _)
                || FindPeer(handshake.RemoteStatic) is not { } peer)
            {
                Drop(DropReason.Unauthenticated, source);
                return;
            }
            peer.OnInitiationConsumed(source);
            return;
        }
        var receiver = MessageResponse.ReadReceiver(message);
        if (!Sessions.TryGet(receiver, out var session) || session.Keypair is not null)
        {
            Drop(DropReason.UnknownIndex, source);
            return;
        }
        if (!session.Peer.TryConsumeResponse(message, source))
        {
            session.Peer.Drop(DropReason.Unauthenticated, source);
        }
    }

    /// <summary>Answers <paramref name="message"/> with a cookie reply written into a pooled handshake buffer: no allocation per reply.</summary>
    private void SendCookieReply(CookieChecker checker, ReadOnlySpan<byte> message, Endpoint source, DateTimeOffset now)
    {
        var reply = _handshakeBuffers.Rent();
        try
        {
            checker.CreateReply(message, source, now, reply.AsSpan(0, MessageCookieReply.Size));
            if (SendDatagram(reply, MessageCookieReply.Size, source))
            {
                Counters.CookieReplySent();
                LogCookieReply(source);
            }
        }
        finally
        {
            _handshakeBuffers.Return(reply);
        }
    }

    private void ConsumeCookieReply(ReadOnlySpan<byte> message, Endpoint source, DateTimeOffset now)
    {
        var receiver = MessageCookieReply.ReadReceiver(message);
        if (!Sessions.TryGet(receiver, out var session))
        {
            Drop(DropReason.UnknownIndex, source);
            return;
        }
        if (session.Peer.Handshake is not { } handshake || !handshake.Cookies.TryConsumeReply(message, now))
        {
            session.Peer.Drop(DropReason.Unauthenticated, source);
        }
    }

    private readonly record struct HandshakeMessage(byte[] Buffer, int Length, Endpoint Source);
}
