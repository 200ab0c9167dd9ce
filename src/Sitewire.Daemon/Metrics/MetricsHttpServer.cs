using System.Net;
using System.Net.Sockets;
using System.Text;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Io.Linux;
using Sitewire.Tunnel.Metrics;

namespace Sitewire.Daemon.Metrics;

/// <summary>
/// A minimal HTTP/1.1 responder for Prometheus scrapes on a TCP or Unix stream socket: <c>GET /metrics</c>
/// answers the rendered text, any other path 404, any other method 405, a request head that does not parse or
/// exceeds <see cref="MaxRequestBytes"/> 400. One request per connection (Connection: close), each connection
/// bounded by <see cref="ConnectionTimeout"/>, at most <see cref="MaxConnections"/> served at once: one more closes the
/// oldest (see <see cref="ConnectionSlots"/>), so clients that connect and send nothing cannot starve scrapes.
/// </summary>
public sealed class MetricsHttpServer : IDisposable
{
    public const int MaxRequestBytes = 8192;
    public const int MaxConnections = 16;
    public static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Func<string> _render;
    private readonly string? _socketPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionSlots _connections = new(MaxConnections);

    private MetricsHttpServer(Socket listener, Func<string> render, string? socketPath)
    {
        _listener = listener;
        _render = render;
        _socketPath = socketPath;
    }

    /// <summary>Listens on <paramref name="address"/>; throws <see cref="SocketException"/> when it cannot.</summary>
    public static MetricsHttpServer ListenTcp(IPEndPoint address, Func<string> render)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(address);
            listener.Listen(MaxConnections);
            return new MetricsHttpServer(listener, render, null);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Listens on a Unix socket at <paramref name="path"/>, mode 0600, removed on <see cref="Dispose"/>. A stale socket
    /// is replaced; a live one or anything that is not a socket is refused (see <see cref="UnixSocketPath.Listen"/>).
    /// </summary>
    public static MetricsHttpServer ListenUnix(string path, Func<string> render)
    {
        var listener = UnixSocketPath.Listen(path, MaxConnections);
        return new MetricsHttpServer(listener, render, path);
    }

    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    public void Start() => _ = AcceptLoopAsync();

    /// <summary>The whole response to one request head (the bytes up to and including the blank line).</summary>
    public static byte[] Respond(ReadOnlySpan<byte> requestHead, Func<string> render)
    {
        var head = Encoding.ASCII.GetString(requestHead);
        var requestLine = head.AsSpan(0, Math.Max(0, head.IndexOf("\r\n", StringComparison.Ordinal)));
        Span<Range> parts = stackalloc Range[4];
        if (!head.EndsWith("\r\n\r\n", StringComparison.Ordinal) || requestLine.Split(parts, ' ') != 3
            || !requestLine[parts[2]].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return Response("400 Bad Request", "text/plain; charset=utf-8", "bad request\n");
        }
        var target = requestLine[parts[1]];
        var query = target.IndexOf('?');
        if (!target[..(query < 0 ? target.Length : query)].SequenceEqual("/metrics"))
        {
            return Response("404 Not Found", "text/plain; charset=utf-8", "not found; metrics are at /metrics\n");
        }
        if (!requestLine[parts[0]].SequenceEqual("GET"))
        {
            return Response("405 Method Not Allowed", "text/plain; charset=utf-8", "only GET\n", "Allow: GET\r\n");
        }
        return Response("200 OK", PrometheusTextWriter.ContentType, render());
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _connections.Dispose();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (_connections.Admit(client, out _) is { } slot)
            {
                _ = ServeAsync(client, slot, token);
            }
        }
    }

    private async Task ServeAsync(Socket client, LinkedListNode<Socket> slot, CancellationToken stop)
    {
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                timeout.CancelAfter(ConnectionTimeout);
                var head = await ReadHeadAsync(client, timeout.Token).ConfigureAwait(false);
                var response = Respond(head, _render);
                await client.SendAsync(response, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away, was too slow or was closed for a newer one: nothing to answer.
        }
        finally
        {
            _connections.Release(slot);
        }
    }

    /// <summary>Bytes up to the blank line ending the head, or all that arrived when the peer stopped or the limit was hit.</summary>
    private static async Task<byte[]> ReadHeadAsync(Socket client, CancellationToken cancellation)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return buffer[..(end + 4)];
            }
        }
        return buffer[..length];
    }

    private static byte[] Response(string status, string contentType, string body, string extraHeaders = "")
    {
        var content = Encoding.UTF8.GetBytes(body);
        var header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\n{extraHeaders}Connection: close\r\n\r\n");
        return [.. header, .. content];
    }
}
