using System.Diagnostics;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Lab;

/// <summary>
/// A running lab. Flow: record the state (before creating anything) → namespaces, wires, addresses, routes, each
/// node's starting firewall (firewalld started on RHEL-family nodes) → pick the engine → `wg-quick up` on every node → service responders → sessions up (kept-up ones awaited, nodes that dial each other opened from one side) → failover agents (several relays) → flows. Dispose removes it all unless kept
/// (a kept lab that failed to build stays too, for inspection).
/// </summary>
public sealed class LabSession : IDisposable
{
    private readonly LabBlueprint _blueprint;
    private readonly LabOptions _options;
    private int _disposed;

    private LabSession(LabBlueprint blueprint, LabOptions options, LabState state)
    {
        _blueprint = blueprint;
        _options = options;
        State = state;
    }

    public LabState State { get; }

    /// <summary>The failover agents of a hub with several relays, running on its site nodes; null without failover.</summary>
    public LabFailoverAgents? FailoverAgents { get; private set; }

    public LabFailover? Failover => _blueprint.Failover;

    public static LabSession Start(LabBlueprint blueprint, LabOptions options, Action<string> log)
    {
        var ownerCommandLine = ProcessTable.CommandLine(Environment.ProcessId) ?? "";
        var ownerStartTime = ProcessTable.StartTime(Environment.ProcessId) ?? 0;
        var id = LabPaths.ClaimNewId();
        var state = new LabState
        {
            Id = id,
            Name = blueprint.Name,
            OwnerPid = Environment.ProcessId,
            OwnerCommandLine = ownerCommandLine,
            OwnerStartTime = ownerStartTime,
            Namespaces = blueprint.Hosts.ToDictionary(h => h.Name, h => LabPaths.NamespaceName(id, h.Name)),
            Tunnels = blueprint.Tunnels.ToDictionary(t => t.Host, t => t.InterfaceName),
            ForgetBeforeEachFlow = LabSessionReset.Forgotten(blueprint.Tunnels),
            Flows = [.. blueprint.Flows],
        };
        state.Save();
        var session = new LabSession(blueprint, options, state);
        try
        {
            session.Build(log);
            return session;
        }
        catch
        {
            state.Keep = options.Keep;
            state.Save();
            session.Dispose();
            throw;
        }
    }

    private void Build(Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        LabNetworkBuilder.Build(_blueprint, State);
        log($"[lab] {State.Id}: {_blueprint.Hosts.Count} namespaces, {_blueprint.Wires.Count} links, addresses, routes... ok {clock.Elapsed.TotalSeconds:0.0}s");
        LabPathMtu.Apply(_blueprint, State, log);
        log(LabFirewallBaseline.Summary(_blueprint, _options.Firewalld));
        if (_options.Firewalld)
        {
            LabFirewalld.Start(_blueprint, State, log);
        }
        LabDocker.Apply(_blueprint, State, log);
        var scratch = State.Namespaces.Values.First();
        var kernelError = LabEngine.KernelWireGuardError(scratch);
        var engine = LabEngine.Resolve(_options.Engine, scratch);
        State.Engine = engine.DisplayName;
        State.EnginePath = engine.UserspacePath;
        log(kernelError is not null
            ? $"[lab] engine: {engine.DisplayName} {engine.UserspacePath} (kernel WireGuard absent: `ip link add type wireguard`: {kernelError})"
            : engine.UserspacePath is null
                ? "[lab] engine: kernel WireGuard"
                : $"[lab] engine: kernel WireGuard is available, and wg-quick prefers it over {engine.DisplayName} (it uses WG_QUICK_USERSPACE_IMPLEMENTATION only without the module)");
        LabTunnels.Up(_blueprint, State, engine, log);
        LabServices.Start(_blueprint, State, log);
        LabHandshakes.Wait(_blueprint, State, TimeSpan.FromSeconds(15), log);
        LabHandshakes.Establish(_blueprint, State, TimeSpan.FromSeconds(15), log);
        if (_blueprint.Failover is { } failover)
        {
            FailoverAgents = LabFailoverAgents.Start(State, failover, log);
        }
        State.Keep = _options.Keep;
        State.Save();
    }

    public IReadOnlyList<LabFlowResult> RunFlows() => LabFlows.Run(State, _options);

    /// <summary>The lab's flows with other predictions (verify's for a relay down).</summary>
    public IReadOnlyList<LabFlowResult> RunFlows(IReadOnlyList<LabFlow> flows) => LabFlows.Run(State, flows, _options);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && !State.Keep)
        {
            LabTeardown.Remove(State);
        }
    }
}
