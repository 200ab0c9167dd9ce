using System.Net.Sockets;
using System.Text;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// Reads the lines of a UAPI connection, keeping at most <see cref="UapiServer.MaxLineBytes"/> of one line: the
/// rest of a longer line is read and discarded. Bytes are decoded as Latin-1, one character per byte, so that
/// <see cref="Sitewire.Text.DisplayText.EscapeBytes"/> can show exactly what arrived.
/// </summary>
internal sealed class UapiLineReader
{
    private const int ReceiveBytes = 4096;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[ReceiveBytes];
    private readonly MemoryStream _partial = new();
    private int _start;
    private int _end;

    public UapiLineReader(Socket socket) => _socket = socket;

    /// <summary>The next line; at end of stream a last line without '\n' (as wireguard-go's scanner returns it), then null.</summary>
    public async ValueTask<UapiLine?> ReadLineAsync(CancellationToken cancellation)
    {
        _partial.SetLength(0);
        var tooLong = false;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            var piece = newline < 0 ? available : available[..newline];
            tooLong |= _partial.Length + piece.Length > UapiServer.MaxLineBytes;
            if (!tooLong)
            {
                _partial.Write(piece);
            }
            if (newline >= 0)
            {
                _start += newline + 1;
                return Line(terminated: true, tooLong);
            }
            _start = _end = 0;
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                return _partial.Length > 0 || tooLong ? Line(terminated: false, tooLong) : null;
            }
            _end = read;
        }
    }

    private UapiLine Line(bool terminated, bool tooLong) =>
        new(tooLong ? "" : Encoding.Latin1.GetString(_partial.GetBuffer(), 0, (int)_partial.Length), terminated, tooLong);
}
