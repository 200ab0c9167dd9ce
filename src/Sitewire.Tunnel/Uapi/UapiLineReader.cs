using System.Net.Sockets;
using System.Text;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// Reads '\n'-terminated lines from a UAPI connection, refusing more than <see cref="UapiServer.MaxRequestBytes"/> in one
/// request. Bytes are decoded as Latin-1, one character per byte, so that the log can show exactly what arrived.
/// </summary>
internal sealed class UapiLineReader
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16384];
    private int _start;
    private int _end;
    private long _bytesSinceBlankLine;

    public UapiLineReader(Socket socket) => _socket = socket;

    /// <summary>The next line; at end of stream a last line without '\n' (as wireguard-go's scanner returns it), then null.</summary>
    public async ValueTask<UapiLine?> ReadLineAsync(CancellationToken cancellation)
    {
        var line = new StringBuilder();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var take = (newline < 0 ? _end : newline) - _start;
            _bytesSinceBlankLine += take + 1;
            if (_bytesSinceBlankLine > UapiServer.MaxRequestBytes)
            {
                throw new UapiRequestTooLargeException();
            }
            line.Append(Encoding.Latin1.GetString(_buffer, _start, take));
            if (newline >= 0)
            {
                _start = newline + 1;
                if (line.Length == 0)
                {
                    _bytesSinceBlankLine = 0;
                }
                return new UapiLine(line.ToString(), Terminated: true);
            }
            _start = 0;
            _end = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellation);
            if (_end == 0)
            {
                return line.Length > 0 ? new UapiLine(line.ToString(), Terminated: false) : null;
            }
        }
    }
}

internal sealed class UapiRequestTooLargeException : Exception
{
    public UapiRequestTooLargeException()
        : base($"UAPI request larger than {UapiServer.MaxRequestBytes} bytes; connection closed")
    {
    }

    public UapiRequestTooLargeException(string message)
        : base(message)
    {
    }

    public UapiRequestTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
