using System.Runtime.InteropServices;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Io.Linux;
using Sitewire.Tunnel.Metrics;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Daemon;

/// <summary>
/// One interface's life: create the TUN device, the UDP bind and the device, serve UAPI on
/// /var/run/wireguard/&lt;ifname&gt;.sock, then run until SIGTERM/SIGINT or until the interface is
/// deleted, and clean up (socket file removed).
/// </summary>
internal static class DaemonHost
{
    /// <summary>SITEWIRED_OFFLOAD: unset or 1 all offloads, 0 none, <c>tun</c> or <c>udp</c> only those.</summary>
    internal static (bool Tun, bool Udp) OffloadSwitch(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "0" or "off" or "false" or "no" => (false, false),
        "tun" => (true, false),
        "udp" => (false, true),
        _ => (true, true),
    };

    public static int Run(string interfaceName, ProtocolTimings timings, MetricsSettings metrics, DaemonLog log, Action? onReady)
    {
        log.Verbose($"Starting sitewired version {Version.Text}");
        var (tunOffload, udpOffload) = OffloadSwitch(Environment.GetEnvironmentVariable("SITEWIRED_OFFLOAD"));
        TunDevice tun;
        try
        {
            tun = TunDevice.Create(interfaceName, offload: tunOffload);
        }
        catch (Exception e) when (e is ArgumentException or ExternalException)
        {
            log.Error($"Failed to create TUN device: {e.Message}");
            return ExitCodes.SetupFailed;
        }
        var options = new DeviceOptions
        {
            Timings = timings,
            LogVerbose = log.Level >= LogLevel.Verbose ? log.Verbose : null,
            LogError = log.Level >= LogLevel.Error ? log.Error : null,
        };
        var bind = new UdpBind(udpOffload) { OnOffloadRefused = log.Error };
        using var device = new Device(tun, bind, options);
        try
        {
            device.Start();
        }
        catch (Exception e)
        {
            log.Error($"Failed to start the device: {e.Message}");
            return ExitCodes.SetupFailed;
        }
        log.Verbose("Device started");
        LogOffloads(log, tun, bind, tunOffload, udpOffload);
        using var metricsServers = new MetricsServers();
        try
        {
            metricsServers.Start(metrics, () => RenderMetrics(tun.Name, device));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            log.Error($"Metrics listen error ({metrics}): {e.Message}");
            return ExitCodes.SetupFailed;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PosixSignalRegistration terminate, interrupt;
        try
        {
            terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        }
        catch (Exception e) when (e is IOException or TypeInitializationException { InnerException: IOException })
        {
            log.Error($"Failed to handle signals: {(e.InnerException ?? e).Message}");
            return ExitCodes.SetupFailed;
        }
        using var terminateRegistration = terminate;
        using var interruptRegistration = interrupt;

        // The UAPI socket comes last: once it exists, wg and wg-quick talk to a daemon whose setup is complete.
        using var uapi = new UapiServer(UapiSocket.PathFor(tun.Name), device, log.Error, log.Verbose);
        try
        {
            uapi.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            log.Error($"UAPI listen error: {e.Message}");
            return ExitCodes.SetupFailed;
        }
        onReady?.Invoke();
        if (Task.WaitAny(stop.Task, device.Closed) == 1)
        {
            log.Verbose("Interface deleted");
        }
        log.Verbose("Shutting down");
        return ExitCodes.Success;

        static void LogOffloads(DaemonLog log, TunDevice tun, UdpBind bind, bool tunOffload, bool udpOffload)
        {
            var parts = new List<string>();
            parts.Add(tunOffload ? tun.OffloadStatus : "tun offloads off (SITEWIRED_OFFLOAD)");
            parts.Add(udpOffload ? bind.OffloadStatus : "udp offloads off (SITEWIRED_OFFLOAD)");
            var line = string.Join("; ", parts);
            if (line.Contains("refused", StringComparison.Ordinal))
            {
                log.Error(line);
            }
            else
            {
                log.Verbose(line);
            }
        }

        static string RenderMetrics(string name, Device device)
        {
            var text = new StringWriter();
            DeviceMetrics.Write(new PrometheusTextWriter(text), name, device);
            return text.ToString();
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
