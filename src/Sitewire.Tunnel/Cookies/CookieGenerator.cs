using Sitewire.Crypto;
using Sitewire.Tunnel.Messages;

namespace Sitewire.Tunnel.Cookies;

/// <summary>
/// The sender's side of the cookie mechanism for one peer: writes mac1 (keyed with the peer's public key)
/// into each handshake message we send, and mac2 while a cookie from that peer is younger than
/// <see cref="Constants.CookieRefreshTime"/>; accepts a cookie reply only if it answers the last mac1 we sent.
/// Thread-safe.
/// </summary>
public sealed class CookieGenerator
{
    private readonly Lock _lock = new();
    private readonly byte[] _mac1Key;
    private readonly byte[] _cookieKey;
    private readonly TimeSpan _refreshTime;
    private readonly byte[] _lastMac1 = new byte[Constants.MacSize];
    private readonly byte[] _cookie = new byte[Constants.CookieSize];
    private bool _hasLastMac1;
    private DateTimeOffset _cookieReceived = DateTimeOffset.MinValue;

    public CookieGenerator(Key remoteStatic, ProtocolTimings? timings = null)
    {
        _mac1Key = Macs.DeriveKey(Constants.LabelMac1, remoteStatic);
        _cookieKey = Macs.DeriveKey(Constants.LabelCookie, remoteStatic);
        _refreshTime = (timings ?? ProtocolTimings.Default).CookieRefreshTime;
    }

    /// <summary>True while a cookie received within the refresh time is held.</summary>
    public bool HasFreshCookie(DateTimeOffset now)
    {
        lock (_lock)
        {
            return now - _cookieReceived <= _refreshTime;
        }
    }

    /// <summary>Fills the last 32 bytes of a complete handshake message: mac1, then mac2 or zeros.</summary>
    public void AddMacs(Span<byte> message, DateTimeOffset now)
    {
        Macs.WriteMac1(_mac1Key, message);
        var mac2Offset = Macs.Mac2Offset(message.Length);
        var mac2 = message.Slice(mac2Offset, Constants.MacSize);
        lock (_lock)
        {
            message.Slice(Macs.Mac1Offset(message.Length), Constants.MacSize).CopyTo(_lastMac1);
            _hasLastMac1 = true;
            if (now - _cookieReceived > _refreshTime)
            {
                mac2.Clear();
                return;
            }
            Blake2s.Mac(_cookie, message[..mac2Offset], mac2);
        }
    }

    /// <summary>Takes the cookie from a reply that answers our last sent mac1; false (nothing changes) otherwise.</summary>
    public bool TryConsumeReply(ReadOnlySpan<byte> reply, DateTimeOffset now)
    {
        if (MessageType.Of(reply) != Constants.MessageCookieReplyType)
        {
            return false;
        }
        Span<byte> cookie = stackalloc byte[Constants.CookieSize];
        lock (_lock)
        {
            if (!_hasLastMac1
                || !XChaChaPoly.Open(_cookieKey, reply[MessageCookieReply.Nonce], reply[MessageCookieReply.Cookie], _lastMac1, cookie))
            {
                return false;
            }
            cookie.CopyTo(_cookie);
            _cookieReceived = now;
            _hasLastMac1 = false;
        }
        cookie.Clear();
        return true;
    }
}
