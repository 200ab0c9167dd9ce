using System.Security.Cryptography;
using Sitewire.Crypto;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Tunnel.Cookies;

/// <summary>
/// The responder's side of the cookie mechanism (whitepaper 5.4.7): checks mac1 (keyed with our own public
/// key) on every handshake message; when the device is under load, checks mac2 against the cookie of the
/// source endpoint and answers messages without a valid mac2 with a cookie reply. The cookie is a MAC of the
/// endpoint under a random secret replaced every <see cref="Constants.CookieRefreshTime"/>. Thread-safe.
/// </summary>
public sealed class CookieChecker
{
    private const int SecretSize = 32;
    private const int SourceSize = 18;

    private readonly Lock _lock = new();
    private readonly LocalIdentity _local;
    private readonly TimeSpan _refreshTime;
    private readonly byte[] _secret = new byte[SecretSize];
    private DateTimeOffset _secretCreated = DateTimeOffset.MinValue;

    public CookieChecker(LocalIdentity local, ProtocolTimings? timings = null)
    {
        _local = local;
        _refreshTime = (timings ?? ProtocolTimings.Default).CookieRefreshTime;
    }

    /// <summary>mac1 of a handshake initiation or response addressed to us.</summary>
    public bool CheckMac1(ReadOnlySpan<byte> message) => Macs.Mac1Valid(_local.Mac1Key, message);

    /// <summary>mac2 matches the cookie we would give <paramref name="source"/> now; false while no current secret exists.</summary>
    public bool CheckMac2(ReadOnlySpan<byte> message, Endpoint source, DateTimeOffset now)
    {
        Span<byte> cookie = stackalloc byte[Constants.CookieSize];
        lock (_lock)
        {
            if (now - _secretCreated > _refreshTime)
            {
                return false;
            }
            MakeCookie(source, cookie);
        }
        var valid = Macs.Mac2Valid(cookie, message);
        cookie.Clear();
        return valid;
    }

    /// <summary>
    /// Writes a 64-byte cookie reply to <paramref name="message"/>, a handshake message from <paramref name="source"/>
    /// whose sender index becomes the reply's receiver index.
    /// </summary>
    public void CreateReply(ReadOnlySpan<byte> message, Endpoint source, DateTimeOffset now, Span<byte> reply)
    {
        if (reply.Length != MessageCookieReply.Size)
        {
            throw new ArgumentException($"a cookie reply is {MessageCookieReply.Size} bytes", nameof(reply));
        }
        var type = MessageType.Of(message);
        if (type is not (Constants.MessageInitiationType or Constants.MessageResponseType))
        {
            throw new ArgumentException("cookie replies answer handshake initiations and responses only", nameof(message));
        }
        Span<byte> cookie = stackalloc byte[Constants.CookieSize];
        lock (_lock)
        {
            if (now - _secretCreated > _refreshTime)
            {
                RandomNumberGenerator.Fill(_secret);
                _secretCreated = now;
            }
            MakeCookie(source, cookie);
        }
        MessageCookieReply.WriteHeader(reply, type == Constants.MessageInitiationType ? MessageInitiation.ReadSender(message) : MessageResponse.ReadSender(message));
        var nonce = reply[MessageCookieReply.Nonce];
        RandomNumberGenerator.Fill(nonce);
        var mac1 = message.Slice(Macs.Mac1Offset(message.Length), Constants.MacSize);
        XChaChaPoly.Seal(_local.CookieKey, nonce, cookie, mac1, reply[MessageCookieReply.Cookie]);
        cookie.Clear();
    }

    private void MakeCookie(Endpoint source, Span<byte> cookie)
    {
        Span<byte> bytes = stackalloc byte[SourceSize];
        source.WriteAddress16(bytes);
        bytes[16] = (byte)source.Port;
        bytes[17] = (byte)(source.Port >> 8);
        Blake2s.Mac(_secret, bytes, cookie);
    }
}
