using System.Net.Sockets;
using System.Text;
using Sitewire.Text;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Logging;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// Serves the UAPI configuration protocol for one device on its Unix socket. Each connection may send
/// many requests (<c>set=1</c> or <c>get=1</c>, each ended by a blank line); each is answered with
/// <c>errno=N</c> and a blank line (N is 0 or a negative errno, as wireguard-go writes it). A bad request
/// changes nothing and the server keeps serving. Connections are independent tasks; requests are applied
/// one at a time. Disposing stops listening, drops connections and removes the socket file. A request whose last
/// line ends at end-of-stream without '\n' is taken as wireguard-go's bufio.Scanner takes it: that line counts and
/// the request is applied and answered; an operation line the stream ends in is not answered. An <c>accept</c>
/// error (EMFILE, ENFILE, ENOBUFS) is logged (at most once a second) and retried with back-off, 10 ms doubling to
/// 1 s; it never ends the loop.
/// </summary>
public sealed class UapiServer : IDisposable
{
    /// <summary>Largest request accepted (10,000 allowed-ips take about 300 KB).</summary>
    public const int MaxRequestBytes = 16 << 20;

    private static readonly TimeSpan FirstAcceptRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LastAcceptRetry = TimeSpan.FromSeconds(1);

    private readonly IConfigurable _device;
    private readonly Action<string>? _logError;
    private readonly Action<string>? _logVerbose;
    private readonly Lock _applyLock = new();
    private readonly Lock _connectionsLock = new();
    private readonly HashSet<Socket> _connections = [];
    private readonly RateLimitedLog _acceptFailureLog = new(TimeProvider.System, kinds: 1);
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;

    public UapiServer(string socketPath, IConfigurable device, Action<string>? logError = null, Action<string>? logVerbose = null)
    {
        SocketPath = socketPath;
        _device = device;
        _logError = logError;
        _logVerbose = logVerbose;
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
                connection = await Accept(listener, _stopping.Token);
                retry = FirstAcceptRetry;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailure($"UAPI accept failed: {DisplayText.Escape(e.Message)}; retrying");
                if (!await DelayAsync(retry))
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastAcceptRetry.Ticks));
                continue;
            }
            lock (_connectionsLock)
            {
                _connections.Add(connection);
            }
            _ = ServeAsync(connection);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void LogAcceptFailure(string message)
    {
        if (_logError is not null && _acceptFailureLog.TryAdmit(0, out var heldBack))
        {
            _logError(heldBack == 0 ? message : $"{message} ({heldBack} more like it not logged)");
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            var reader = new UapiLineReader(connection);
            while (await reader.ReadLineAsync(_stopping.Token) is { Terminated: true } operation)
            {
                if (operation.Text is not ("set=1" or "get=1"))
                {
                    _logError?.Invoke($"invalid UAPI operation: {UapiLogText.Line(operation)}");
                    return;
                }
                var answer = operation.Text == "set=1" ? await SetAsync(reader) : await GetAsync(reader);
                if (answer is null)
                {
                    return;
                }
                await connection.SendAsync(Encoding.ASCII.GetBytes(answer), _stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or UapiRequestTooLargeException)
        {
            if (e is UapiRequestTooLargeException)
            {
                _logError?.Invoke(e.Message);
            }
        }
        finally
        {
            lock (_connectionsLock)
            {
                _connections.Remove(connection);
            }
            connection.Dispose();
        }
    }

    private async Task<string> SetAsync(UapiLineReader reader)
    {
        var body = new StringBuilder();
        while (await reader.ReadLineAsync(_stopping.Token) is { IsBlank: false } line)
        {
            body.Append(line.Text).Append('\n');
            if (!line.Terminated)
            {
                break;
            }
        }
        try
        {
            var update = UapiParser.Parse(body.ToString());
            lock (_applyLock)
            {
                _device.Apply(update);
            }
            return "errno=0\n\n";
        }
        catch (ConfigurationException e)
        {
            _logError?.Invoke($"UAPI set refused (errno {e.Errno}): {e.Message}");
            return $"errno={-e.Errno}\n\n";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logError?.Invoke($"UAPI set failed: {e.Message}");
            return $"errno={-Errnos.EIO}\n\n";
        }
    }

    private async Task<string?> GetAsync(UapiLineReader reader)
    {
        var line = await reader.ReadLineAsync(_stopping.Token);
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
        lock (_connectionsLock)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
        if (_listener is not null)
        {
            File.Delete(SocketPath);
        }
        _stopping.Dispose();
    }
}
