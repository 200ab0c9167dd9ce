using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Sitewire.Host.Namespaces;

namespace Sitewire.Host.Lab;

/// <summary>
/// What happened when a flow was tried for real. <c>Refused</c>: the destination answered with a refusal (TCP reset,
/// ICMP port unreachable), so the network let the flow through.
/// </summary>
public sealed record FlowOutcome(bool Reached, string Detail, TimeSpan? RoundTrip, bool Refused = false);

/// <summary>
/// Tries a flow from inside its source namespace: a TCP connect (sockets are created on a thread that joined the
/// namespace), plus an HTTP GET expecting 200 for HTTP; one datagram and its answer for UDP; `ping -c 1` for ICMP.
/// </summary>
public static partial class FlowProbe
{
    /// <summary>
    /// Tries the flow; when it gets through, tries once more so the round trip excludes the first handshake, then with
    /// full-size packets when verify predicts a path MTU for it. A TCP connection that opens must also carry data: without
    /// a predicted path MTU its 64 KiB exchange still runs (a connection can open and then carry nothing, when a node
    /// that saw the SYN but not the SYN-ACK drops the rest as INVALID).
    /// </summary>
    public static FlowOutcome Run(LabState state, LabFlow flow, TimeSpan timeout)
    {
        var first = Once(state, flow, timeout);
        var small = first.Reached && Once(state, flow, timeout) is { Reached: true } second ? second : first;
        return small.Reached && (flow.ProbeMtu is not null || IsConnection(flow)) ? FullSize(state, flow, flow.ProbeMtu, timeout, small) : small;
    }

    private static FlowOutcome Once(LabState state, LabFlow flow, TimeSpan timeout) => flow.Protocol switch
    {
        LabProtocol.Icmp => Ping(state, flow, timeout),
        LabProtocol.Udp => Datagram(state, flow, timeout),
        _ => Connect(state, flow, timeout),
    };

    /// <summary>Sends one datagram from a connected UDP socket and waits for the responder's answer (ICMP unreachable: refused).</summary>
    private static FlowOutcome Datagram(LabState state, LabFlow flow, TimeSpan timeout) =>
        OverSocket(state, flow, timeout, SocketType.Dgram, ProtocolType.Udp, (socket, target, clock, cancel) =>
        {
            socket.Connect(target, flow.Port);
            socket.SendAsync(Encoding.ASCII.GetBytes("sitewire lab probe\n"), SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult();
            var read = socket.ReceiveAsync(new byte[512], SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult();
            return new FlowOutcome(true, $"answered ({read} bytes)", clock.Elapsed);
        });

    private static FlowOutcome Connect(LabState state, LabFlow flow, TimeSpan timeout) =>
        OverSocket(state, flow, timeout, SocketType.Stream, ProtocolType.Tcp, (socket, target, clock, cancel) =>
        {
            socket.ConnectAsync(target, flow.Port, cancel).AsTask().GetAwaiter().GetResult();
            var connected = clock.Elapsed;
            if (flow.Protocol != LabProtocol.Http)
            {
                return new FlowOutcome(true, "connected", connected);
            }
            var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.0\r\nHost: {flow.ToAddress}\r\n\r\n");
            socket.SendAsync(request, SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult();
            var buffer = new byte[512];
            var read = socket.ReceiveAsync(buffer, SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult();
            var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
            return statusLine.Contains(" 200", StringComparison.Ordinal)
                ? new FlowOutcome(true, "HTTP 200", clock.Elapsed)
                : new FlowOutcome(false, $"connected, but HTTP answered '{statusLine}'", clock.Elapsed);
        });

    /// <summary>Runs an exchange on a socket made inside the flow's source namespace, within the timeout; errors become the outcome.</summary>
    private static FlowOutcome OverSocket(LabState state, LabFlow flow, TimeSpan timeout, SocketType type, ProtocolType protocol,
        Func<Socket, IPAddress, Stopwatch, CancellationToken, FlowOutcome> exchange)
    {
        var target = IPAddress.Parse(flow.ToAddress);
        using var socket = NamespaceThread.Run(state.NamespaceOf(flow.FromHost), () => new Socket(target.AddressFamily, type, protocol));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return exchange(socket, target, Stopwatch.StartNew(), cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return new FlowOutcome(false, $"no answer within {timeout.TotalSeconds:0.#}s", null);
        }
        catch (SocketException exception)
        {
            return new FlowOutcome(false, Describe(exception), null, exception.SocketErrorCode == SocketError.ConnectionRefused);
        }
    }

    private static string Describe(SocketException exception) => exception.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        _ => exception.SocketErrorCode.ToString(),
    };

    private static FlowOutcome Ping(LabState state, LabFlow flow, TimeSpan timeout)
    {
        var wait = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var result = LabExec.Run(state, flow.FromHost, ["ping", "-n", "-c", "1", "-W", wait, flow.ToAddress], timeout + TimeSpan.FromSeconds(2));
        var time = PingTime().Match(result.StandardOutput);
        return result.Succeeded && time.Success
            ? new FlowOutcome(true, "echo reply", TimeSpan.FromMilliseconds(double.Parse(time.Groups[1].Value, CultureInfo.InvariantCulture)))
            : new FlowOutcome(false, $"no echo reply within {wait}s", null);
    }

    [GeneratedRegex(@"time=([0-9.]+) ms")]
    private static partial Regex PingTime();
}
