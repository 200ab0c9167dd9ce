using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>Sends crafted datagrams from a namespace at a daemon's UDP port, bounded in count and time.</summary>
public sealed class DatagramInjector : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _target;

    public DatagramInjector(NetworkNamespace from, IPEndPoint target)
    {
        _target = target;
        _socket = NamespaceThread.Run(from.Name, () => new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        _socket.Bind(new IPEndPoint(target.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
    }

    public void Send(byte[] datagram) => _socket.SendTo(datagram, _target);

    /// <summary>
    /// Sends each datagram in turn, at most <paramref name="perSecond"/>, until all are sent, the time is up or
    /// <paramref name="stopWhen"/> (given the count sent so far) says so; returns how many were sent.
    /// </summary>
    public int SendAll(IEnumerable<byte[]> datagrams, TimeSpan limit, int? perSecond = null, Func<int, bool>? stopWhen = null)
    {
        var clock = Stopwatch.StartNew();
        var sent = 0;
        foreach (var datagram in datagrams)
        {
            if (clock.Elapsed >= limit || (stopWhen?.Invoke(sent) ?? false))
            {
                break;
            }
            Send(datagram);
            sent++;
            if (perSecond is { } rate && sent % 100 == 0)
            {
                var due = TimeSpan.FromSeconds((double)sent / rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    Thread.Sleep(due);
                }
            }
        }
        return sent;
    }

    /// <summary>Reads, without waiting, every datagram the target sent back so far (e.g. cookie replies).</summary>
    public IReadOnlyList<byte[]> DrainReplies()
    {
        var replies = new List<byte[]>();
        var buffer = new byte[2048];
        while (_socket.Available > 0)
        {
            var length = _socket.Receive(buffer);
            replies.Add(buffer[..length]);
        }
        return replies;
    }

    public void Dispose() => _socket.Dispose();
}
