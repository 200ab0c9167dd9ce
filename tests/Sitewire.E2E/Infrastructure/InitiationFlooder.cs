using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sitewire.Crypto;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Floods a responder with handshake initiations that pass its mac1 check (random bodies, so each one that is processed
/// costs the responder a Diffie-Hellman before it fails), from many sources: one UDP socket per address and port.
/// A source that answers cookies keeps the cookie of a cookie reply it receives and from then on sends with a valid
/// mac2, as a flooder that owns its addresses can, so that it passes the cookie check and meets the per-source rate
/// limit; the other sources never answer.
/// </summary>
public sealed class InitiationFlooder : IDisposable
{
    private readonly Source[] _sources;
    private readonly IPEndPoint _target;
    private readonly Key _responderKey;

    public InitiationFlooder(NetworkNamespace from, IReadOnlyList<IPAddress> addresses, int portsPerAddress, Func<IPAddress, bool> answersCookies,
        IPEndPoint target, Key responderKey)
    {
        _target = target;
        _responderKey = responderKey;
        var random = new Random(11);
        var sources = new List<Source>();
        try
        {
            foreach (var address in addresses)
            {
                for (var port = 0; port < portsPerAddress; port++)
                {
                    var socket = NamespaceThread.Run(from.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
                    sources.Add(new Source(socket, WireGuardMessages.Random(random, WireGuardMessages.InitiationType, responderKey, validMac1: true),
                        answersCookies(address)));
                    socket.Bind(new IPEndPoint(address, 0));
                }
            }
        }
        catch
        {
            sources.ForEach(s => s.Socket.Dispose());
            throw;
        }
        _sources = [.. sources];
    }

    public int Sources => _sources.Length;

    /// <summary>Sends round-robin over the sources as fast as it can until <paramref name="stop"/> or <paramref name="limit"/>; reads replies as it goes.</summary>
    public FloodResult Run(TimeSpan limit, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        long cookieReplies = 0;
        while (!stop.IsCancellationRequested && clock.Elapsed < limit)
        {
            for (var i = 0; i < _sources.Length; i++)
            {
                var source = _sources[i];
                try
                {
                    source.Socket.SendTo(source.Message, _target);
                    sent++;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.NoBufferSpaceAvailable or SocketError.WouldBlock)
                {
                }
            }
            cookieReplies += ReadReplies();
        }
        return new FloodResult(sent, cookieReplies, _sources.Count(s => s.HasCookie), clock.Elapsed);
    }

    public void Dispose()
    {
        foreach (var source in _sources)
        {
            source.Socket.Dispose();
        }
    }

    private int ReadReplies()
    {
        var replies = 0;
        var buffer = new byte[2048];
        foreach (var source in _sources)
        {
            while (source.Socket.Available > 0)
            {
                var length = source.Socket.Receive(buffer);
                if (length != WireGuardMessages.CookieReplySize || buffer[0] != WireGuardMessages.CookieReplyType)
                {
                    continue;
                }
                replies++;
                if (source.AnswersCookies && WireGuardMessages.OpenCookieReply(buffer.AsSpan(0, length), WireGuardMessages.Mac1(source.Message), _responderKey)
                    is { } cookie)
                {
                    WireGuardMessages.WriteMac2(source.Message, cookie);
                    source.HasCookie = true;
                }
            }
        }
        return replies;
    }

    private sealed class Source(Socket socket, byte[] message, bool answersCookies)
    {
        public Socket Socket { get; } = socket;

        public byte[] Message { get; } = message;

        public bool AnswersCookies { get; } = answersCookies;

        public bool HasCookie { get; set; }
    }
}

/// <summary>What an <see cref="InitiationFlooder"/> run did: initiations sent, cookie replies received, sources holding a cookie at the end.</summary>
public readonly record struct FloodResult(long Sent, long CookieReplies, int SourcesWithCookie, TimeSpan Duration);
