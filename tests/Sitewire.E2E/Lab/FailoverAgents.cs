using System.Diagnostics;
using Sitewire.Config.Failover;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Failover;
using Sitewire.Host.Lab;
using Sitewire.Planner.Plan;

namespace Sitewire.E2E.Lab;

/// <summary>
/// `sitewire failover run` on each non-relay node of a lab, on the plan's own agent configuration (its state file moved
/// into the lab's directory, so two nodes never share one); stopped by PID on dispose, their logs kept for messages.
/// </summary>
internal sealed class FailoverAgents : IDisposable
{
    private readonly Dictionary<string, (Process Process, Task<string> Output, FailoverSettings Settings)> _agents = [];

    public FailoverAgents(LabState state, NetworkPlan plan)
    {
        foreach (var node in plan.Nodes.Where(node => node.Failover is not null))
        {
            var settings = node.Failover! with { StateFile = Path.Combine(state.Directory, $"failover-{node.Name}.json") };
            var configPath = Path.Combine(state.Directory, $"failover-{node.Name}.conf");
            File.WriteAllText(configPath, FailoverConfigWriter.Write(settings, [$"{node.Name}: failover lab test"]));
            var line = LabExec.CommandLine(state, node.Name, [RepositoryPaths.Sitewire, "failover", "run", configPath]);
            var start = new ProcessStartInfo(line[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in line.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start)!;
            var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()).ContinueWith(both => string.Concat(both.Result), TaskScheduler.Default);
            _agents[node.Name] = (process, output, settings);
        }
    }

    public IReadOnlyCollection<string> Nodes => _agents.Keys;

    public FailoverStatus? Status(string node) =>
        File.Exists(_agents[node].Settings.StateFile) ? FailoverStatus.FromJson(File.ReadAllText(_agents[node].Settings.StateFile)) : null;

    /// <summary>Waits until every agent says <paramref name="relay"/> carries the traffic; fails naming each agent's state and log.</summary>
    public void AwaitActive(string relay, TimeSpan timeout)
    {
        if (!Poll.Until(() => _agents.Keys.All(node => Status(node)?.Active == relay), timeout, TimeSpan.FromMilliseconds(50)))
        {
            Assert.Fail($"not every agent moved the traffic to {relay} within {timeout.TotalSeconds:0} s:\n{Describe()}");
        }
    }

    public string Describe() => string.Join('\n', _agents.Keys.Select(node =>
        $"{node}: {(Status(node) is { } status ? status.ToJson() : "(no state)")}{(_agents[node].Process.HasExited ? $"\n  exited {_agents[node].Process.ExitCode}: {_agents[node].Output.Result}" : "")}"));

    /// <summary>Stops every agent (SIGTERM by PID, then a kill if it does not stop) and returns each one's log.</summary>
    public IReadOnlyDictionary<string, string> Stop()
    {
        foreach (var (process, _, _) in _agents.Values.Where(agent => !agent.Process.HasExited))
        {
            Sitewire.Host.Processes.Shell.Run("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var logs = new Dictionary<string, string>();
        foreach (var (node, (process, output, _)) in _agents)
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                process.WaitForExit();
            }
            logs[node] = output.Result;
        }
        return logs;
    }

    public void Dispose()
    {
        Stop();
        foreach (var (process, _, _) in _agents.Values)
        {
            process.Dispose();
        }
    }
}
