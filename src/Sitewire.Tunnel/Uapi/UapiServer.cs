using System.Net.Sockets;
using System.Text;
using Sitewire.Text;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Logging;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// Serves the UAPI configuration protocol for one device on its Unix socket. Each connection may send
/// many requests (<c>set=1</c> or <c>get=1</c>, each ended by a blank line); each is answered with
/// <c>errno=N</c> and a blank line (N is 0 or a negative errno, as wireguard-go writes it). A bad request
/// changes nothing and the server keeps serving. Connections are independent tasks; requests are applied
/// one at a time. Disposing stops listening, drops connections and removes the socket file.
/// </summary>
/// <remarks>
/// Bounded like this: a request is parsed line by line as it arrives (no copy of its text is kept), a line may
/// hold <see cref="MaxLineBytes"/>, a request <see cref="MaxRequestBytes"/> and all requests being read together
/// <see cref="MaxBufferedBytes"/>; past a limit the rest of the request is read and discarded and the answer is
/// EMSGSIZE (ENOMEM for the shared limit). At most <see cref="MaxConnections"/> connections are served, one more
/// closes the oldest. After a large request the memory it took is given back to the system.
/// A request whose last line ends at end-of-stream without '\n' is taken as wireguard-go's bufio.Scanner takes it:
/// that line counts and the request is applied and answered; an operation line the stream ends in is not answered.
/// An <c>accept</c> error (EMFILE, ENFILE, ENOBUFS) is logged (at most once a second) and retried with back-off,
/// 10 ms doubling to 1 s; it never ends the loop.
/// </remarks>
public sealed class UapiServer : IDisposable
{
    /// <summary>Largest request: room for <see cref="Constants.MaxPeers"/> peers of about 250 bytes each.</summary>
    public const int MaxRequestBytes = 16 << 20;

    /// <summary>Longest line, as wireguard-go's bufio.Scanner allows (the longest valid line is about 80 bytes).</summary>
    public const int MaxLineBytes = 64 << 10;

    /// <summary>Request text all connections may hold at once: two requests of the largest size.</summary>
    public const int MaxBufferedBytes = 2 * MaxRequestBytes;

    public const int MaxConnections = 64;

    /// <summary>After a request this large, memory is given back to the system once no request is being read.</summary>
    private const int LargeRequestBytes = 1 << 20;

    private static readonly TimeSpan FirstAcceptRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LastAcceptRetry = TimeSpan.FromSeconds(1);

    private readonly IConfigurable _device;
    private readonly Action<string>? _logError;
    private readonly Action<string>? _logVerbose;
    private readonly Lock _applyLock = new();
    private readonly ConnectionSlots _connections = new(MaxConnections);
    private readonly UapiMemoryBudget _budget = new();
    private readonly RateLimitedLog _floodLog = new(TimeProvider.System, Enum.GetValues<FloodKind>().Length);
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private int _largeRequestsSinceCollect;

    public UapiServer(string socketPath, IConfigurable device, Action<string>? logError = null, Action<string>? logVerbose = null)
    {
        SocketPath = socketPath;
        _device = device;
        _logError = logError;
        _logVerbose = logVerbose;
    }

    private enum FloodKind
    {
        AcceptFailed,
        ConnectionEvicted,
    }

    public string SocketPath { get; }

    /// <summary>How a connection is accepted: the seam through which tests make <c>accept</c> fail.</summary>
    internal Func<Socket, CancellationToken, ValueTask<Socket>> Accept { get; init; } = (listener, cancellation) => listener.AcceptAsync(cancellation);

    /// <summary>Binds the socket (see <see cref="UapiSocket.Listen"/>) and starts accepting; throws when it cannot.</summary>
    public void Start()
    {
        _listener = UapiSocket.Listen(SocketPath);
        _ = AcceptLoopAsync(_listener);
        _logVerbose?.Invoke("UAPI listener started");
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var retry = FirstAcceptRetry;
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await Accept(listener, _stopping.Token).ConfigureAwait(false);
                retry = FirstAcceptRetry;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogFlood(FloodKind.AcceptFailed, $"UAPI accept failed: {DisplayText.Escape(e.Message)}; retrying");
                if (!await DelayAsync(retry).ConfigureAwait(false))
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastAcceptRetry.Ticks));
                continue;
            }
            if (_connections.Admit(connection, out var evicted) is { } slot)
            {
                if (evicted)
                {
                    LogFlood(FloodKind.ConnectionEvicted, $"UAPI: {MaxConnections} connections open; closed the oldest");
                }
                _ = ServeAsync(connection, slot);
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void LogFlood(FloodKind kind, string message)
    {
        if (_logError is not null && _floodLog.TryAdmit((int)kind, out var heldBack))
        {
            _logError(heldBack == 0 ? message : $"{message} ({heldBack} more like it not logged)");
        }
    }

    private async Task ServeAsync(Socket connection, LinkedListNode<Socket> slot)
    {
        try
        {
            var reader = new UapiLineReader(connection);
            while (await reader.ReadLineAsync(_stopping.Token).ConfigureAwait(false) is { Terminated: true } operation)
            {
                if (operation.TooLong || operation.Text is not ("set=1" or "get=1"))
                {
                    _logError?.Invoke($"invalid UAPI operation: {UapiLogText.Line(operation)}");
                    return;
                }
                var answer = operation.Text == "set=1" ? await SetAsync(reader).ConfigureAwait(false) : await GetAsync(reader).ConfigureAwait(false);
                if (answer is null)
                {
                    return;
                }
                await connection.SendAsync(Encoding.ASCII.GetBytes(answer), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away, was closed for a newer one, or the server is stopping.
        }
        finally
        {
            _connections.Release(slot);
        }
    }

    private async Task<string> SetAsync(UapiLineReader reader)
    {
        ConfigurationException? refusal = null;
        long bytesRead = 0;
        using (var lease = _budget.Open())
        {
            UapiParser? parser = new();
            while (await reader.ReadLineAsync(_stopping.Token).ConfigureAwait(false) is { IsBlank: false } line)
            {
                bytesRead += line.TooLong ? MaxLineBytes : line.Text.Length + 1;
                try
                {
                    if (parser is not null)
                    {
                        Read(line, lease, parser);
                    }
                }
                catch (ConfigurationException e)
                {
                    refusal = e;
                    parser = null;
                    lease.Dispose();
                }
                if (!line.Terminated)
                {
                    break;
                }
            }
            if (parser is not null)
            {
                refusal = Apply(parser.Update);
            }
        }
        GiveBackMemoryWhenIdle(afterLargeRequest: bytesRead >= LargeRequestBytes);
        if (refusal is null)
        {
            return "errno=0\n\n";
        }
        _logError?.Invoke($"UAPI set refused (errno {refusal.Errno}): {refusal.Message}");
        return $"errno={-refusal.Errno}\n\n";
    }

    /// <summary>Once a large request has been answered and no request is being read, returns the memory to the system.</summary>
    private void GiveBackMemoryWhenIdle(bool afterLargeRequest)
    {
        if (afterLargeRequest)
        {
            Volatile.Write(ref _largeRequestsSinceCollect, 1);
        }
        if (_budget.IsEmpty && Interlocked.Exchange(ref _largeRequestsSinceCollect, 0) == 1)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    private static void Read(UapiLine line, UapiMemoryBudget.Lease lease, UapiParser parser)
    {
        if (line.TooLong)
        {
            throw new ConfigurationException(Errnos.EMSGSIZE, $"line {parser.LineCount + 1} longer than {MaxLineBytes} bytes");
        }
        lease.Take(line.Text.Length + 1);
        parser.Add(line.Text);
    }

    private ConfigurationException? Apply(DeviceUpdate update)
    {
        try
        {
            lock (_applyLock)
            {
                _device.Apply(update);
            }
            return null;
        }
        catch (ConfigurationException e)
        {
            return e;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ConfigurationException(Errnos.EIO, $"failed: {e.Message}");
        }
    }

    private async Task<string?> GetAsync(UapiLineReader reader)
    {
        var line = await reader.ReadLineAsync(_stopping.Token).ConfigureAwait(false);
        if (line is not { Terminated: true })
        {
            return null;
        }
        if (!line.Value.IsBlank)
        {
            _logError?.Invoke("UAPI get: expected a blank line after get=1");
            return $"errno={-Errnos.EINVAL}\n\n";
        }
        try
        {
            DeviceState state;
            lock (_applyLock)
            {
                state = _device.GetState();
            }
            return UapiSerializer.Serialize(state) + "errno=0\n\n";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logError?.Invoke($"UAPI get failed: {e.Message}");
            return $"errno={-Errnos.EIO}\n\n";
        }
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        _listener?.Dispose();
        _connections.Dispose();
        if (_listener is not null)
        {
            File.Delete(SocketPath);
        }
        _stopping.Dispose();
    }
}
