using System.Net.Sockets;
using System.Text;

namespace Sitewire.Tunnel.Tests.Uapi;

/// <summary>
/// A raw client of a UAPI socket (also linked into the end-to-end tests): sends text, reads one answer up to and
/// including "errno=N\n\n" or sees the connection closed. Nothing arriving within the timeout is an error, never
/// taken for a close (a client left hanging).
/// </summary>
internal sealed class UapiTestClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly StringBuilder _pending = new();

    public UapiTestClient(string path)
    {
        _socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        _socket.SendTimeout = (int)Timeout.TotalMilliseconds;
        _socket.Connect(new UnixDomainSocketEndPoint(path));
    }

    public void Send(string text) => SendBytes(Encoding.ASCII.GetBytes(text));

    public void SendBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TrySend(bytes))
        {
            throw new InvalidOperationException("the UAPI server closed the connection");
        }
    }

    /// <summary>False when the server has closed the connection.</summary>
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

    /// <summary>Shuts down the sending side: the server reads end-of-stream, answers still arrive.</summary>
    public void EndSending() => _socket.Shutdown(SocketShutdown.Send);

    public string Request(string text)
    {
        Send(text);
        return ReadAnswer();
    }

    /// <summary>The next answer, or null when the server closed the connection.</summary>
    public string? TryReadAnswer()
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
                return text[..(end + 2)];
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

    /// <summary>The next answer's errno line ("errno=0"), or null when the server closed the connection.</summary>
    public string? ReadErrnoOrClosed() =>
        TryReadAnswer() is { } answer ? answer[answer.LastIndexOf("errno=", StringComparison.Ordinal)..].TrimEnd('\n') : null;

    public string ReadAnswer() => TryReadAnswer() ?? throw new InvalidOperationException("the UAPI server closed the connection");

    /// <summary>True when the server closed the connection (end of stream), false when something arrived or nothing did in time.</summary>
    public bool ReadsEndOfStream()
    {
        try
        {
            return _socket.Receive(new byte[1]) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
