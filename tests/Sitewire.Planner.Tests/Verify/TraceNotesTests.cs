using System.Runtime.CompilerServices;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Model;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// A trace's notes are written when read (verify walks every flow and shows the hops of few), from values kept at the hop:
/// they say what the host decided then, and they keep no network model alive (a report of a relay-down variant would
/// otherwise hold a whole model per relay).
/// </summary>
public class TraceNotesTests
{
    [Fact]
    public void A_trace_keeps_no_model_alive_and_its_notes_read_as_the_host_decided()
    {
        var (trace, hosts) = TraceOfTheSeedsFirstFlow();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(hosts, host => Assert.False(host.Reference.IsAlive, $"the trace keeps the model's {host.Name} alive"));
        var relay = Assert.Single(trace.Forward.Hops, hop => hop.Host == "relay");
        Assert.Contains("forward accepted by", relay.Decision, StringComparison.Ordinal);
        Assert.Contains("route ", relay.Decision, StringComparison.Ordinal);
        Assert.Contains("cryptokey: peer ", relay.Decision, StringComparison.Ordinal);
        Assert.Same(relay.Decision, relay.Decision);
    }

    /// <summary>The trace of the seed's first flow and weak references to the hosts of the model it was walked through, built in a frame of its own.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (FlowTrace Trace, (string Name, WeakReference Reference)[] Hosts) TraceOfTheSeedsFirstFlow()
    {
        var plan = TopologyFixtures.PlanFile(TopologyFixtures.Example("seed.yaml"));
        var network = ModelBuilder.Build(plan, NetworkLayoutBuilder.Build(plan));
        var result = Verifier.Check(plan.Topology.Flows[0], new FlowSimulator(network));
        Assert.True(result.Met, result.Problem);
        return (result.Trace!, [.. network.Hosts.Select(host => (host.Name, new WeakReference(host)))]);
    }
}
