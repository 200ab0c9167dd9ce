using System.Net.Sockets;
using System.Text;

namespace Sitewire.E2E.Infrastructure;

/// <summary>A raw client of a daemon's UAPI socket: sends text, reads one answer ("…errno=N\n\n") or sees the connection closed.</summary>
public sealed class UapiConnection : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly StringBuilder _pending = new();

    public UapiConnection(string socketPath)
    {
        _socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        _socket.SendTimeout = (int)Timeout.TotalMilliseconds;
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
    }

    /// <summary>False when the daemon has closed the connection.</summary>
    public bool TrySend(ReadOnlySpan<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[_socket.Send(bytes)..];
            }
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.Shutdown or SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return false;
        }
    }

    public bool TrySend(string text) => TrySend(Encoding.ASCII.GetBytes(text));

    /// <summary>
    /// The next answer's errno line ("errno=0"), or null when the daemon closed the connection; throws when neither
    /// happens within the timeout (a client left hanging).
    /// </summary>
    public string? ReadErrnoOrClosed()
    {
        var buffer = new byte[65536];
        while (true)
        {
            var text = _pending.ToString();
            var errno = text.IndexOf("errno=", StringComparison.Ordinal);
            var end = errno < 0 ? -1 : text.IndexOf("\n\n", errno, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                return text[errno..end];
            }
            int read;
            try
            {
                read = _socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                throw new TimeoutException($"no answer and no close within {Timeout.TotalSeconds:0} s", e);
            }
            if (read == 0)
            {
                return null;
            }
            _pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    public void Dispose() => _socket.Dispose();
}
