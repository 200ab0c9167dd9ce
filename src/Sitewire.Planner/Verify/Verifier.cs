using Sitewire.Config.Topology;
using Sitewire.Netfilter;
using Sitewire.Planner.Layout;
using Sitewire.Planner.Model;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify.Checks;

namespace Sitewire.Planner.Verify;

/// <summary>
/// Verifies a plan before deploy: static findings on the topology and the planned configs, then every declared flow
/// simulated through the network model (<see cref="ModelBuilder"/>) there and back. Pure: reads and writes nothing.
/// </summary>
public static class Verifier
{
    private static readonly Func<NetworkPlan, IEnumerable<Finding>>[] Checks =
    [
        DuplicateChecks.Run,
        OverlapChecks.Run,
        AllowedIpsCheck.Run,
        InitiationCheck.Run,
        EndpointPortCheck.Run,
        KeepaliveCheck.Run,
        MtuCheck.Run,
        MssClampCheck.Run,
        LanGatewayChecks.Run,
        KeptConfigCheck.Run,
    ];

    public static VerifyReport Verify(NetworkPlan plan) => Verify(plan, NetworkLayoutBuilder.Build(plan));

    /// <summary>Verifies the plan on the model built from <paramref name="layout"/> (the lab builds its namespaces from the same value).</summary>
    public static VerifyReport Verify(NetworkPlan plan, NetworkLayout layout)
    {
        var findings = Findings(plan);
        var simulator = new FlowSimulator(ModelBuilder.Build(plan, layout));
        var flows = plan.Topology.Flows.Select(flow => Check(flow, simulator)).ToList();
        var failureStates = RelayFailurePlans.Of(plan)
            .Select(variant => new FailureState(variant.Down.Name, CheckAll(variant.Plan, layout)))
            .ToList();
        return new VerifyReport([.. findings, .. HoldsOnlyWhileRelayUp(flows, failureStates)], flows) { FailureStates = failureStates };
    }

    private static List<FlowResult> CheckAll(NetworkPlan plan, NetworkLayout layout)
    {
        var simulator = new FlowSimulator(ModelBuilder.Build(plan, layout));
        return [.. plan.Topology.Flows.Select(flow => Check(flow, simulator))];
    }

    /// <summary>A warning per flow that is as expected with every relay up but not while a given relay is down.</summary>
    private static IEnumerable<Finding> HoldsOnlyWhileRelayUp(IReadOnlyList<FlowResult> allUp, IReadOnlyList<FailureState> states) =>
        from state in states
        from pair in allUp.Zip(state.Flows)
        where pair.First.Met && !pair.Second.Met
        select new Finding(
            Severity.Warning,
            "holds-only-while-relay-up",
            state.DownRelay,
            "flows",
            pair.First.Flow.Location,
            $"{pair.First.Flow} holds only while {state.DownRelay} is up: with {state.DownRelay} down {pair.Second.Problem ?? "it is not as expected"}",
            pair.Second.Fix ?? $"give the flow a path that does not need {state.DownRelay}");

    /// <summary>The static findings alone, errors first, then by file position.</summary>
    public static IReadOnlyList<Finding> Findings(NetworkPlan plan) =>
        [.. Checks.SelectMany(check => check(plan))
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Location?.Line ?? 0)
            .ThenBy(f => f.Location?.Column ?? 0)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)];

    public static FlowResult Check(Flow flow, FlowSimulator simulator)
    {
        var origin = simulator.Network.Find(flow.From);
        if (origin is null)
        {
            return new FlowResult(flow, null, false, $"{flow.From} is no host or node of the model", "declare the flow from a host or node of the topology");
        }
        var destination = Address.From(flow.To.Address);
        var protocol = flow.To.Port is null ? Protocol.Icmp : flow.To.Protocol == TransportProtocol.Udp ? Protocol.Udp : Protocol.Tcp;
        var trace = simulator.Simulate(origin, destination, protocol, (ushort)(flow.To.Port ?? 0));
        var landed = trace.Forward.Arrived || trace.Forward.Breakage!.Kind == BreakKind.ServiceNotOffered;
        if (flow.To.Name is { } target && landed && trace.Forward.Hops[^1].Host != target)
        {
            var reached = trace.Forward.Hops[^1].Host;
            return new FlowResult(flow, trace, false, $"packets for {flow.To.Address} reach {reached}, not {target}: both hold that address",
                $"give {target} and {reached} distinct addresses, or, when their sites' LANs overlap, map {target}'s LAN to a free prefix (lan.mapped_as) so the other sites reach it there");
        }
        var mtu = PathMtu.Analyze(simulator.Network, trace);
        if (mtu is not null && protocol != Protocol.Icmp && !simulator.Simulate(origin, destination, Protocol.Icmp, 0).Holds)
        {
            mtu = mtu with { EchoBlocked = true };
        }
        if (flow.Expect == FlowExpectation.Allow)
        {
            return !trace.Holds
                ? new FlowResult(flow, trace, false, Describe(trace), trace.Breakage!.Fix)
                : mtu?.Stalled is { } stalled
                    ? new FlowResult(flow, trace, false, $"{(mtu.Forward.Fit == SegmentFit.BlackHole ? "forward" : "return")} path stalls at {stalled.Bottleneck}: {stalled.Explanation}", StallFix(stalled.Bottleneck!), mtu)
                    : new FlowResult(flow, trace, true, null, null, mtu);
        }
        if (trace.RefusedByHost)
        {
            return new FlowResult(flow, trace, false,
                $"the network lets {flow.From} through to {trace.Breakage!.Host}, which only refuses it ({trace.Breakage.Reason}): deny means the network stops it, and a service started there later is open",
                DenyFix(trace));
        }
        return trace.Holds
            ? new FlowResult(flow, trace, false, $"{flow.From} reaches {flow.To} and gets replies, but the flow must be blocked",
                DenyFix(trace), mtu)
            : new FlowResult(flow, trace, true, null, null);
    }

    private static string StallFix(string node) =>
        $"clamp the MSS on {node} (remove `mss_clamp: false` from it and re-plan), or let {node} send ICMP fragmentation-needed (drop no ICMP errors in its OUTPUT chain)";

    private static string Describe(FlowTrace trace)
    {
        var breakage = trace.Breakage!;
        return $"{trace.BrokenDirection} path broken at {breakage.Host}: {breakage.Reason}";
    }

    /// <summary>
    /// How to stop a flow the network lets through: a drop in the forward filter of the first node that forwards it,
    /// as the command that inserts it (matching the packet as it arrives there), or the flow policy that drops it.
    /// </summary>
    private static string DenyFix(FlowTrace trace)
    {
        const string Policy = "with network.policy: flows the plan drops every flow not declared allow";
        var hops = trace.Forward.Hops;
        var index = hops.Select((hop, i) => (hop, i)).Skip(1).FirstOrDefault(pair => pair.hop.OutInterface is not null && pair.hop.InInterface is not null).i;
        if (index == 0)
        {
            return $"no node forwards it, so no forward filter can stop it: separate the ends or filter it at its destination ({Policy} between sites)";
        }
        var (forwarder, arriving) = (hops[index], hops[index - 1].Packet);
        var packet = NetfilterPackets.Of(arriving, forwarder.InInterface, forwarder.OutInterface, established: false);
        var matches = new Dictionary<string, string> { ["iifname"] = forwarder.InInterface!, ["oifname"] = forwarder.OutInterface!, ["l4proto"] = packet.Protocol! };
        if (packet.DestinationPort is { } port)
        {
            matches["dport"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        matches["saddr"] = packet.Source!.Value.ToString();
        matches["daddr"] = packet.Destination!.Value.ToString();
        var rule = new NetfilterRule(packet.Family.Nft, "filter", "FORWARD", matches, "drop", false, "");
        return $"drop it in the forward filter of {forwarder.Host}: {packet.Family.Iptables} -I {IptablesSyntax.Rule(rule)} (a drop: entry on {forwarder.Host} plans it; {Policy})";
    }
}
