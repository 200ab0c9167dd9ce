using Sitewire.Config.Failover;
using Sitewire.Host.Failover;
using Sitewire.Planner.Plan;

namespace Sitewire.Host.Lab;

/// <summary>
/// `sitewire failover run CONFIG` on each site node of a lab with several relays, as the plan's unit runs it: the plan's
/// own agent configuration, with its state file moved into the node's directory (the lab's nodes share one /run, so
/// two of them must not share one state file), in the background in the node's namespace with its log beside it. The
/// agents are lab processes: teardown stops them with the rest.
/// </summary>
public sealed class LabFailoverAgents
{
    private const string LogFile = "sitewire-failover.log";

    /// <summary>How long the agents may take to start and report the preferred relay (a round per second once running).</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly LabState _state;
    private readonly LabFailover _failover;

    private LabFailoverAgents(LabState state, LabFailover failover)
    {
        _state = state;
        _failover = failover;
    }

    public IReadOnlyList<string> Nodes => [.. _failover.Agents.Select(agent => agent.Node)];

    /// <summary>Starts every agent and waits until each says the preferred relay carries the traffic.</summary>
    public static LabFailoverAgents Start(LabState state, LabFailover failover, Action<string> log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sitewire = LabEngine.FindBuilt("sitewire") ?? throw new FileNotFoundException(
            "the failover agents need the sitewire binary next to the CLI or in artifacts/bin (run ./sitewire build)");
        var agents = new LabFailoverAgents(state, failover);
        foreach (var agent in failover.Agents)
        {
            var settings = agent.Settings with { StateFile = agents.StatePath(agent.Node) };
            File.WriteAllText(agents.ConfigPath(agent.Node), FailoverConfigWriter.Write(settings,
                [$"{agent.Node}: the plan's {FailoverAgentPlanner.ConfigFile}, its state file in the lab's node directory"]));
            LabExec.Run(state, agent.Node, ["sh", "-c", "\"$0\" failover run \"$1\" >\"$2\" 2>&1 </dev/null &", sitewire, agents.ConfigPath(agent.Node), agents.LogPath(agent.Node)])
                .EnsureSuccess();
        }
        LabTunnels.RecordProcesses(state);
        if (!agents.AwaitActive(failover.Preferred, StartLimit))
        {
            throw new InvalidOperationException($"the failover agents did not report {failover.Preferred} carrying the traffic within {StartLimit.TotalSeconds:0} s:\n{agents.Describe()}");
        }
        log($"[lab] failover agents: {string.Join(", ", agents.Nodes)} run `sitewire failover run {agents.ConfigPath("NODE")}`; {failover.Preferred} carries the traffic... ok {clock.Elapsed.TotalSeconds:0.0}s");
        return agents;
    }

    public string ConfigPath(string node) => Path.Combine(_state.NodeDirectory(node), FailoverAgentPlanner.ConfigFile);

    public string LogPath(string node) => Path.Combine(_state.NodeDirectory(node), LogFile);

    public FailoverStatus? Status(string node) =>
        File.Exists(StatePath(node)) ? FailoverStatus.FromJson(File.ReadAllText(StatePath(node))) : null;

    /// <summary>What the agent logged so far: its start line and one line per switch.</summary>
    public string Log(string node) => File.Exists(LogPath(node)) ? File.ReadAllText(LogPath(node)) : "";

    /// <summary>The switch lines of the agent's log (`failover: relay-a -> relay-b (...)`).</summary>
    public IReadOnlyList<string> SwitchLines(string node) =>
        [.. Log(node).Split('\n').Where(line => line.StartsWith("failover: ", StringComparison.Ordinal) && line.Contains(" -> ", StringComparison.Ordinal))];

    /// <summary>Waits until every agent says <paramref name="relay"/> carries the traffic; false when one does not within the limit.</summary>
    public bool AwaitActive(string relay, TimeSpan limit) => LabWait.Until(() => Nodes.All(node => Status(node)?.Active == relay), limit);

    /// <summary>Each agent's state and log, for a failure message.</summary>
    public string Describe() => string.Join('\n', Nodes.Select(node =>
        $"{node}: {(Status(node) is { } status ? status.ToJson() : "(no state)")}\n  log: {Log(node).Trim().Replace("\n", "\n       ", StringComparison.Ordinal)}"));

    private string StatePath(string node) => Path.Combine(_state.NodeDirectory(node), $"failover-{_state.Tunnels[node]}.json");
}
