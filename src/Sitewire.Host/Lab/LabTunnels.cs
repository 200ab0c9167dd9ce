using System.Diagnostics;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Lab;

/// <summary>Brings each node's WireGuard interface up with the real `wg-quick up` from the planner's config, in parallel.</summary>
internal static class LabTunnels
{
    public static void Up(LabBlueprint blueprint, LabState state, LabEngine engine, Action<string> log)
    {
        Directory.CreateDirectory("/run/wireguard");
        var failures = new List<string>();
        Parallel.ForEach(blueprint.Tunnels, tunnel =>
        {
            var clock = Stopwatch.StartNew();
            var config = WriteConfig(state, tunnel);
            var result = LabExec.Run(state, tunnel.Host, ["wg-quick", "up", config], TimeSpan.FromSeconds(20), engine.Environment);
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
        });
        RecordProcesses(state);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"wg-quick up failed on {string.Join(", ", failures.Order())}; logs in {state.Directory}/nodes/*/wg-quick.log");
        }
    }

    /// <summary>Records every process now running in the lab's namespaces (the engines wg-quick started, responders).</summary>
    public static void RecordProcesses(LabState state)
    {
        lock (state)
        {
            foreach (var pid in state.Namespaces.Values.SelectMany(ProcessTable.InNamespace))
            {
                if (state.Processes.All(p => p.Pid != pid) && ProcessTable.CommandLine(pid) is { } commandLine)
                {
                    state.Processes.Add(new LabProcess(pid, commandLine));
                }
            }
            state.Save();
        }
    }

    private static string WriteConfig(LabState state, LabTunnel tunnel)
    {
        var directory = state.NodeDirectory(tunnel.Host);
        Directory.CreateDirectory(state.UapiDirectory(tunnel.Host));
        var path = Path.Combine(directory, tunnel.InterfaceName + ".conf");
        using (var stream = new FileStream(path, new FileStreamOptions
               {
                   Mode = FileMode.Create,
                   Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(tunnel.ConfigText);
        }
        return path;
    }

    private static string Indent(string text) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "        " + l));
}
