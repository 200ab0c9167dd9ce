using System.Net.Sockets;
using System.Text;

namespace Sitewire.Tunnel.Tests.Uapi;

/// <summary>A raw UAPI connection: send text, read one answer up to and including "errno=N\n\n".</summary>
internal sealed class UapiTestClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly StringBuilder _pending = new();

    public UapiTestClient(string path)
    {
        _socket.Connect(new UnixDomainSocketEndPoint(path));
        _socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
    }

    public void Send(string text) => _socket.Send(Encoding.ASCII.GetBytes(text));

    public void SendBytes(byte[] bytes) => _socket.Send(bytes);

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
            catch (SocketException)
            {
                return null;
            }
            if (read == 0)
            {
                return null;
            }
            _pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

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

    public string ReadAnswer() => TryReadAnswer() ?? throw new InvalidOperationException("the UAPI server closed the connection");

    public void Dispose() => _socket.Dispose();
}
