using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Trace;

/// <summary>One flow through the model of a plan, hop by hop both ways: what `sitewire trace` prints.</summary>
public static class Tracer
{
    /// <summary>The flow there and back, or null with <paramref name="error"/> naming what is unknown or not modelled.</summary>
    public static FlowTrace? Trace(NetworkPlan plan, string from, FlowTarget to, out string? error) =>
        Trace(new FlowSimulator(ModelBuilder.Build(plan)), plan.Topology, from, to, out error);

    public static FlowTrace? Trace(FlowSimulator simulator, Topology topology, string from, FlowTarget to, out string? error)
    {
        error = simulator.Network.Find(from) is null ? $"no host or node named '{from}' in {topology.SourceFile}" : null;
        return error is null ? Verifier.Check(new Flow(from, to, FlowExpectation.Allow, topology.Location), simulator).Trace : null;
    }

    /// <summary>Resolves <c>NAME|ADDRESS[:PORT[/PROTO]]</c>: a host name to its address, a node name to its overlay address.</summary>
    public static FlowTarget? ResolveTarget(Topology topology, string text, out string? error)
    {
        if (TopologyValues.ParseFlowTarget(text, out error) is not { } parsed)
        {
            return null;
        }
        if (topology.FindHost(parsed.Target) is { } host)
        {
            return new FlowTarget(host.Name, host.Address, parsed.Port, parsed.Protocol);
        }
        if (topology.FindNode(parsed.Target) is { } node)
        {
            return new FlowTarget(node.Name, node.OverlayAddress, parsed.Port, parsed.Protocol);
        }
        if (System.Net.IPAddress.TryParse(parsed.Target, out var address))
        {
            return new FlowTarget(null, address, parsed.Port, parsed.Protocol);
        }
        error = $"'{parsed.Target}' is no host, node or IP address of the topology";
        return null;
    }
}
