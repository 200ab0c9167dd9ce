using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Trace;

/// <summary>One flow through the model of a plan, hop by hop both ways: what `sitewire trace` prints.</summary>
public static class Tracer
{
    public static FlowTrace Trace(NetworkPlan plan, string from, FlowTarget to) =>
        Trace(new FlowSimulator(ModelBuilder.Build(plan)), plan.Topology, from, to);

    /// <summary>Traces on a prepared simulator; throws <see cref="ArgumentException"/> naming what is unknown or not modelled.</summary>
    public static FlowTrace Trace(FlowSimulator simulator, Topology topology, string from, FlowTarget to)
    {
        var origin = simulator.Network.Find(from)
            ?? throw new ArgumentException($"no host or node named '{from}' in {topology.SourceFile}", nameof(from));
        if (!Ipv4.TryFrom(to.Address, out var destination))
        {
            throw new ArgumentException($"{to.Address} is IPv6: the model covers IPv4 only", nameof(to));
        }
        var flow = new Flow(from, to, FlowExpectation.Allow, topology.Location);
        return Verifier.Check(flow, simulator).Trace!;
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
