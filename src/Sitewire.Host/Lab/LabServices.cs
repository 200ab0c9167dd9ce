using System.Globalization;
using System.Diagnostics;

namespace Sitewire.Host.Lab;

/// <summary>Starts a small TCP/HTTP or UDP responder (python3, in the background) for each declared service, in its host's namespace.</summary>
internal static class LabServices
{
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
                    Path.Combine(state.Directory, $"service-{service.Host}-{service.Address.Replace(':', '_')}-{service.Port}-{Transport(service)}.log")])
                .EnsureSuccess());
        LabTunnels.RecordProcesses(state);
        var notReady = blueprint.Services.Where(s => s.Protocol != LabProtocol.Icmp)
            .AsParallel()
            .Where(s => !WaitListening(state, s, TimeSpan.FromSeconds(5)))
            .Select(Describe)
            .ToList();
        if (notReady.Count > 0)
        {
            throw new InvalidOperationException($"service responders did not start listening: {string.Join(", ", notReady)} (logs: {state.Directory}/service-*.log)");
        }
        log($"[lab] services: {string.Join(", ", blueprint.Services.Select(Describe))}... ok {clock.Elapsed.TotalSeconds:0.0}s");
    }

    private static string Transport(LabService service) => service.Protocol == LabProtocol.Udp ? "udp" : "tcp";

    private static string Describe(LabService service)
    {
        var address = service.Address.Contains(':', StringComparison.Ordinal) ? $"[{service.Address}]" : service.Address;
        return service.Protocol == LabProtocol.Udp ? $"{service.Host} {address}:{service.Port}/udp" : $"{service.Host} {address}:{service.Port}";
    }

    private static bool WaitListening(LabState state, LabService service, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
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
