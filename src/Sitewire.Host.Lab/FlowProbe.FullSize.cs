using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Sitewire.Host.Lab;

/// <summary>
/// The full-size half of a flow's probe, for a flow whose small packets crossed: a TCP or HTTP flow moves 64 KiB each way
/// (POSTed to the responder, which sends it back; checked byte for byte), so full-size segments cross both directions as
/// the hosts' MTU 1500 makes them; then (unless verify predicts the network stops echoes between the ends) a don't-fragment ping of the path MTU verify predicts must come back (three tries:
/// the first may be lost while an outer path learns its MTU) and one byte more must not. Full-size probes run one at a time,
/// each after a flush of every lab host's path MTU cache: a host that learned a path's MTU advertises a smaller MSS on its
/// next connection, so one probe (or an earlier run) would otherwise carry state into another, which verify's model of a
/// fresh connection does not have.
/// </summary>
public static partial class FlowProbe
{
    /// <summary>The payload each way: many full-size segments.</summary>
    public const int PayloadBytes = 64 * 1024;

    private const int DontFragmentTries = 3;

    private static readonly Lock FullSizeGate = new();

    /// <summary>
    /// The 64 KiB exchange of a TCP or HTTP flow, then the don't-fragment pings when verify predicts a path MTU
    /// (<paramref name="pathMtu"/> null: a connection verify predicts no path MTU for still has to carry its data).
    /// </summary>
    private static FlowOutcome FullSize(LabState state, LabFlow flow, int? pathMtu, TimeSpan timeout, FlowOutcome small)
    {
        lock (FullSizeGate)
        {
            FlushPathMtuCaches(state);
            return FreshFullSize(state, flow, pathMtu, timeout, small);
        }
    }

    /// <summary>Forgets every path MTU the lab's hosts learned (IPv4 and IPv6 route exceptions).</summary>
    private static void FlushPathMtuCaches(LabState state)
    {
        foreach (var ns in state.Namespaces.Values)
        {
            Processes.Shell.Run("ip", "-n", ns, "-4", "route", "flush", "cache");
            Processes.Shell.Run("ip", "-n", ns, "-6", "route", "flush", "cache");
        }
    }

    private static FlowOutcome FreshFullSize(LabState state, LabFlow flow, int? predictedMtu, TimeSpan timeout, FlowOutcome small)
    {
        if (IsConnection(flow) && Payload(state, flow, timeout) is { Reached: false } stalled)
        {
            return stalled;
        }
        var payload = IsConnection(flow) ? $"; {PayloadBytes / 1024} KiB both ways, checked" : "";
        if (predictedMtu is not { } pathMtu)
        {
            return small with { Detail = $"{small.Detail}{payload}" };
        }
        if (flow.EchoBlocked)
        {
            return small with { Detail = $"{small.Detail}{payload}; no DF ping (the network stops echoes between these ends)" };
        }
        var v6 = flow.ToAddress.Contains(':', StringComparison.Ordinal);
        var headers = v6 ? 48 : 28;
        if (!Enumerable.Range(0, DontFragmentTries).Any(_ => DontFragmentPing(state, flow, pathMtu - headers)))
        {
            return new FlowOutcome(false, $"{small.Detail}, but a don't-fragment packet of {pathMtu} bytes (the path MTU verify predicts) got no answer in {DontFragmentTries} tries", small.RoundTrip);
        }
        if (DontFragmentPing(state, flow, pathMtu + 1 - headers))
        {
            return new FlowOutcome(false, $"{small.Detail}, but a don't-fragment packet of {pathMtu + 1} bytes crossed, above the path MTU {pathMtu} verify predicts", small.RoundTrip);
        }
        return small with { Detail = $"{small.Detail}{payload}; DF {pathMtu} passes, {pathMtu + 1} does not" };
    }

    private static bool IsConnection(LabFlow flow) => flow.Protocol is LabProtocol.Tcp or LabProtocol.Http;

    private static bool DontFragmentPing(LabState state, LabFlow flow, int payload)
    {
        var result = LabExec.Run(state, flow.FromHost, ["ping", "-n", "-c", "1", "-W", "2", "-M", "do", "-s", payload.ToString(CultureInfo.InvariantCulture), flow.ToAddress], TimeSpan.FromSeconds(5));
        return result.Succeeded && result.StandardOutput.Contains("bytes from", StringComparison.Ordinal);
    }

    /// <summary>POSTs <see cref="PayloadBytes"/> and reads them back; a stall is reported with the bytes that came back.</summary>
    private static FlowOutcome Payload(LabState state, LabFlow flow, TimeSpan timeout) =>
        OverSocket(state, flow, timeout, SocketType.Stream, ProtocolType.Tcp, (socket, target, clock, cancel) =>
        {
            var sent = Pattern();
            var received = new MemoryStream();
            try
            {
                socket.ConnectAsync(target, flow.Port, cancel).AsTask().GetAwaiter().GetResult();
                var header = Encoding.ASCII.GetBytes($"POST /sitewire-lab-payload HTTP/1.0\r\nHost: {flow.ToAddress}\r\nContent-Length: {PayloadBytes}\r\n\r\n");
                socket.SendAsync(header, SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult();
                socket.SendAsync(sent, SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult();
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = socket.ReceiveAsync(buffer, SocketFlags.None, cancel).AsTask().GetAwaiter().GetResult()) > 0)
                {
                    received.Write(buffer, 0, read);
                }
            }
            catch (OperationCanceledException)
            {
                return new FlowOutcome(false, $"connected, but the {PayloadBytes / 1024} KiB exchange stalled: {BodyLength(received.ToArray())} of {PayloadBytes} bytes back within {timeout.TotalSeconds:0.#}s", null);
            }
            var response = received.ToArray();
            var body = Body(response);
            return body.AsSpan().SequenceEqual(sent)
                ? new FlowOutcome(true, "payload", clock.Elapsed)
                : new FlowOutcome(false, $"connected, but the {PayloadBytes / 1024} KiB exchange came back as {response.Length} bytes ('{Encoding.ASCII.GetString(response, 0, Math.Min(40, response.Length)).Split("\r\n")[0]}'), not the {PayloadBytes} sent", clock.Elapsed);
        });

    private static byte[] Pattern()
    {
        var bytes = new byte[PayloadBytes];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 7919) >> 3);
        }
        return bytes;
    }

    private static byte[] Body(byte[] response)
    {
        var end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        return end < 0 ? [] : response[(end + 4)..];
    }

    private static int BodyLength(byte[] response) => Body(response).Length;
}
