using System.Diagnostics;
using Sitewire.Host.Namespaces;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// One userspace WireGuard daemon running in the foreground inside a namespace, with its verbose log kept.
/// The process is owned by the namespace (killed when it is disposed); disposing this removes a UAPI
/// socket the daemon left behind (the interface name is unique to the test, so the socket is ours).
/// </summary>
public sealed class WireGuardDaemon : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;

    private WireGuardDaemon(string implementation, NetworkNamespace networkNamespace, string interfaceName, Process process, DaemonLog log)
    {
        Implementation = implementation;
        Namespace = networkNamespace;
        InterfaceName = interfaceName;
        _process = process;
        Log = log;
    }

    public string Implementation { get; }

    public NetworkNamespace Namespace { get; }

    public string InterfaceName { get; }

    public DaemonLog Log { get; }

    public bool IsRunning => !_process.HasExited;

    /// <summary>Resident set size now (VmRSS), in KiB.</summary>
    public long ResidentKiB =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>CPU time (user and system) the daemon has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string SocketPath => UapiSocketPath(InterfaceName);

    public static string UapiSocketPath(string interfaceName) => $"/var/run/wireguard/{interfaceName}.sock";

    /// <summary>
    /// Starts IMPL IFNAME with WG_PROCESS_FOREGROUND=1 and LOG_LEVEL=verbose, and returns once the UAPI socket
    /// exists. <paramref name="environment"/> adds variables (e.g. SITEWIRED_TEST_REKEY_AFTER_SECONDS).
    /// </summary>
    public static WireGuardDaemon Start(string implementation, NetworkNamespace networkNamespace, string interfaceName,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = WireGuardImplementation.RequireExecutable(implementation);
        var variables = new Dictionary<string, string>
        {
            ["WG_PROCESS_FOREGROUND"] = "1",
            ["LOG_LEVEL"] = "verbose",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var process = networkNamespace.Start(executable, [interfaceName], variables);
        var log = new DaemonLog();
        if (implementation == WireGuardImplementation.Sitewired)
        {
            log.WatchForSecrets($"sitewired {interfaceName} log");
        }
        log.Attach(process);
        var daemon = new WireGuardDaemon(implementation, networkNamespace, interfaceName, process, log);
        if (!Poll.Until(() => File.Exists(daemon.SocketPath) || process.HasExited, StartTimeout, TimeSpan.FromMilliseconds(20))
            || process.HasExited)
        {
            var state = process.HasExited ? $"exited with {process.ExitCode}" : $"gave no socket within {StartTimeout.TotalSeconds} s";
            daemon.Dispose();
            throw new InvalidOperationException($"{implementation} {interfaceName} {state}:\n{log.Tail("  ")}");
        }
        return daemon;
    }

    /// <summary>Runs <c>wg ARGS</c> in the daemon's namespace and returns stdout; throws with the daemon's log on failure.</summary>
    public string Wg(params string[] arguments)
    {
        var result = Namespace.Exec("wg", arguments, TimeSpan.FromSeconds(20));
        if (!result.Succeeded)
        {
            throw new CommandFailedException($"`{result.Command}` exited {result.ExitCode}: {result.StandardError.Trim()}\n{Describe()}");
        }
        return result.StandardOutput;
    }

    /// <summary>Runs <c>wg ARGS</c> without throwing.</summary>
    public CommandResult TryWg(params string[] arguments) => Namespace.Exec("wg", arguments, TimeSpan.FromSeconds(20));

    public string Describe() =>
        $"[{Implementation} {InterfaceName} in {Namespace.Name}, pid {_process.Id}, {(IsRunning ? "running" : $"exited {_process.ExitCode}")}]\n"
        + Log.Tail($"  {Implementation}: ");

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
        }
        File.Delete(SocketPath);
    }
}
