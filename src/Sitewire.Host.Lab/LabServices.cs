using System.Globalization;
using System.Diagnostics;

namespace Sitewire.Host.Lab;

/// <summary>Starts a small TCP/HTTP or UDP responder (python3, in the background) for each declared service, in its host's namespace.</summary>
internal static class LabServices
{
    /// <summary>
    /// How long a responder may take to listen: python3 starts in a fraction of a second on an idle machine, but took over
    /// 5 s on the 2-core machine under a load of 40 (verify-vs-lab seeds 778170275, 778170278). One that fails says so in
    /// its log, and the wait ends there.
    /// </summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    public static void Start(LabBlueprint blueprint, LabState state, Action<string> log)
    {
        if (blueprint.Services.Count == 0)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        var script = Path.Combine(state.Directory, "responder.py");
        using (var resource = typeof(LabServices).Assembly.GetManifestResourceStream("Sitewire.Host.Lab.responder.py")!)
        using (var file = File.Create(script))
        {
            resource.CopyTo(file);
        }
        Parallel.ForEach(blueprint.Services.Where(s => s.Protocol != LabProtocol.Icmp), service =>
            LabExec.Run(state, service.Host,
                ["sh", "-c", "python3 \"$0\" \"$1\" \"$2\" \"$3\" \"$4\" >\"$5\" 2>&1 </dev/null &", script, service.Address, service.Port.ToString(CultureInfo.InvariantCulture), service.Host, Transport(service),
                    LogPath(state, service)])
                .EnsureSuccess());
        LabTunnels.RecordProcesses(state);
        var notReady = blueprint.Services.Where(s => s.Protocol != LabProtocol.Icmp)
            .AsParallel()
            .Where(s => !WaitListening(state, s, StartLimit))
            .Select(s => Log(state, s) is { Length: > 0 } error ? $"{Describe(s)} ({error})" : Describe(s))
            .ToList();
        if (notReady.Count > 0)
        {
            throw new InvalidOperationException($"service responders did not start listening within {StartLimit.TotalSeconds:0}s: {string.Join(", ", notReady)} (logs: {state.Directory}/service-*.log)");
        }
        log($"[lab] services: {string.Join(", ", blueprint.Services.Select(Describe))}... ok {clock.Elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>The responder's log file; the lab's own hosts (internet/host1) carry a '/', which becomes '.' as in their namespace names.</summary>
    private static string LogPath(LabState state, LabService service) =>
        Path.Combine(state.Directory, $"service-{service.Host.Replace('/', '.')}-{service.Address.Replace(':', '_')}-{service.Port}-{Transport(service)}.log");

    /// <summary>What the responder wrote: nothing while it runs, its error once it failed.</summary>
    private static string Log(LabState state, LabService service) =>
        File.Exists(LogPath(state, service)) ? File.ReadAllText(LogPath(state, service)).Trim() : "";

    private static string Transport(LabService service) => service.Protocol == LabProtocol.Udp ? "udp" : "tcp";

    private static string Describe(LabService service)
    {
        var address = service.Address.Contains(':', StringComparison.Ordinal) ? $"[{service.Address}]" : service.Address;
        return service.Protocol == LabProtocol.Udp ? $"{service.Host} {address}:{service.Port}/udp" : $"{service.Host} {address}:{service.Port}";
    }

    /// <summary>Until the responder answers, or writes anything to its log (it prints only a failure, e.g. a bind error), bounded.</summary>
    private static bool WaitListening(LabState state, LabService service, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit && Log(state, service).Length == 0)
        {
            var address = service.Address switch
            {
                "0.0.0.0" => "127.0.0.1",
                "::" => "::1",
                _ => service.Address,
            };
            var probe = new LabFlow("ready", service.Host, address, service.Port, service.Protocol == LabProtocol.Udp ? LabProtocol.Udp : LabProtocol.Tcp, true, true, "");
            if (FlowProbe.Run(state, probe, TimeSpan.FromMilliseconds(500)).Reached)
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }
}
