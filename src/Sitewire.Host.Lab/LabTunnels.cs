using System.Diagnostics;
using Sitewire.Config.WgQuick;
using Sitewire.Host.Linux;
using Sitewire.Planner.Expected;

namespace Sitewire.Host.Lab;

/// <summary>Brings each node's WireGuard interface up with the real `wg-quick up` from the planner's config, in parallel.</summary>
internal static class LabTunnels
{
    /// <summary>
    /// How long one `wg-quick up` may take: under a second on an idle machine, but on a firewalld node its PostUp starts
    /// four or five firewall-cmd processes (a Python interpreter each), which a loaded 2-core machine stretches to over 20 s.
    /// </summary>
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(90);

    public static void Up(LabBlueprint blueprint, LabState state, LabEngine engine, Action<string> log)
    {
        Directory.CreateDirectory("/run/wireguard");
        var failures = new List<string>();
        foreach (var wave in blueprint.Tunnels.GroupBy(t => t.Dialed).OrderByDescending(g => g.Key))
        {
            Parallel.ForEach(wave, tunnel => UpOne(state, engine, tunnel, failures, log));
        }
        RecordProcesses(state);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"wg-quick up failed on {string.Join(", ", failures.Order())}; logs in {state.Directory}/nodes/*/wg-quick.log");
        }
    }

    private static void UpOne(LabState state, LabEngine engine, LabTunnel tunnel, List<string> failures, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var config = WriteConfig(state, tunnel);
        var result = LabExec.Run(state, tunnel.Host, ["wg-quick", "up", config], UpLimit, engine.Environment);
        File.WriteAllText(Path.Combine(state.NodeDirectory(tunnel.Host), "wg-quick.log"), result.StandardOutput + result.StandardError);
        var line = $"[lab] {tunnel.Host}: wg-quick up {tunnel.InterfaceName} ({engine.DisplayName})... ";
        lock (failures)
        {
            if (result.Succeeded)
            {
                log(line + $"ok {clock.Elapsed.TotalSeconds:0.0}s");
            }
            else
            {
                log(line + $"FAILED (exit {result.ExitCode})\n{Indent(result.StandardError)}");
                failures.Add(tunnel.Host);
            }
        }
    }

    /// <summary>Records every process now running in the lab's namespaces (the engines wg-quick started, responders).</summary>
    public static void RecordProcesses(LabState state)
    {
        lock (state)
        {
            foreach (var pid in state.Namespaces.Values.SelectMany(ProcessTable.InNamespace))
            {
                if (state.Processes.All(p => p.Pid != pid) && ProcessTable.CommandLine(pid) is { } commandLine && ProcessTable.StartTime(pid) is { } startTime)
                {
                    state.Processes.Add(new LabProcess(pid, commandLine, startTime));
                }
            }
            state.Save();
        }
    }

    private static string WriteConfig(LabState state, LabTunnel tunnel)
    {
        Directory.CreateDirectory(state.UapiDirectory(tunnel.Host));
        var path = state.ConfigPath(tunnel.Host);
        SecretFile.Write(path, WgQuickWriter.Write(tunnel.Config));
        WriteExpectedState(state, tunnel);
        return path;
    }

    /// <summary>
    /// The node's expected-state file, in /etc/netns/NAMESPACE/wireguard/: `ip netns exec` bind-mounts that directory over
    /// /etc/wireguard for every command run in the node, so `sitewire doctor IFACE` there finds it where a real node keeps it.
    /// </summary>
    private static void WriteExpectedState(LabState state, LabTunnel tunnel)
    {
        var directory = Path.Combine(LabPaths.EtcDirectory(state.NamespaceOf(tunnel.Host)), "wireguard");
        Directory.CreateDirectory(directory);
        SecretFile.Write(Path.Combine(directory, ExpectedStateFile.FileName(tunnel.InterfaceName)), ExpectedStateFile.Write(tunnel.Expected));
    }

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "        " + l));
}
