using Sitewire.Config.Topology;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;
using Sitewire.Text;

namespace Sitewire.Planner.Trace;

/// <summary>One flow through the model of a plan, hop by hop both ways: what `sitewire trace` prints.</summary>
public static class Tracer
{
    /// <summary>The flow there and back, or null with <paramref name="error"/> naming what is unknown or not modelled.</summary>
    public static FlowTrace? Trace(NetworkPlan plan, string from, FlowTarget to, out string? error) =>
        Check(plan, from, to, out error)?.Trace;

    /// <summary>The flow checked as verify checks it (its trace, and its path MTU per hop), or null with <paramref name="error"/>.</summary>
    public static FlowResult? Check(NetworkPlan plan, string from, FlowTarget to, out string? error) =>
        Check(new FlowSimulator(ModelBuilder.Build(plan)), plan.Topology, from, to, out error);

    /// <summary>As <see cref="Check(NetworkPlan, string, FlowTarget, out string?)"/>, through a given model (verify --live's model of the deployed nodes).</summary>
    public static FlowResult? Check(FlowSimulator simulator, Topology topology, string from, FlowTarget to, out string? error)
    {
        error = simulator.Network.Find(from) is null ? UnknownName(topology, from) : null;
        return error is null ? Verifier.Check(new Flow(from, to, FlowExpectation.Allow, topology.Location), simulator) : null;
    }

    /// <summary>
    /// Resolves <c>NAME|ADDRESS[:PORT[/PROTO]]</c>: a host name to its address as <paramref name="from"/> reaches it (a
    /// mapped LAN's host at its mapped address from another site), a node name to its overlay address — of IPv6 when
    /// <paramref name="ipv6"/>, else IPv4 when the name has one. An address literal stands for itself.
    /// </summary>
    public static FlowTarget? ResolveTarget(Topology topology, string from, string text, bool ipv6, out string? error)
    {
        if (TopologyValues.ParseFlowTarget(text, out error) is not { } parsed)
        {
            return null;
        }
        if (NamedTarget.Find(topology.Hosts, topology.Nodes, parsed.Target, from) is { } named)
        {
            var family = named.FamilyFor(ipv6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : null);
            if (named.AddressOf(family) is { } address)
            {
                return new FlowTarget(named.Name, address, parsed.Port, parsed.Protocol);
            }
            error = named.Missing(family);
            return null;
        }
        if (System.Net.IPAddress.TryParse(parsed.Target, out var literal))
        {
            return new FlowTarget(null, literal, parsed.Port, parsed.Protocol);
        }
        error = $"'{parsed.Target}' is no host, node or IP address of the topology{DidYouMean.Hint(parsed.Target, Names(topology))}";
        return null;
    }

    private static string UnknownName(Topology topology, string name) =>
        $"no host or node named '{name}' in {topology.SourceFile}{DidYouMean.Hint(name, Names(topology))}";

    private static IEnumerable<string> Names(Topology topology) =>
        topology.Nodes.Select(node => node.Name).Concat(topology.Hosts.Select(host => host.Name));
}
