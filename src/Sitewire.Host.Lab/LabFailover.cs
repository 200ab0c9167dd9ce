using Sitewire.Config.Failover;
using Sitewire.Config.Topology;

namespace Sitewire.Host.Lab;

/// <summary>
/// What the lab of a hub with several relays runs for failover (docs/failover.md): each site node's agent on the plan's
/// own configuration, the relays in order of preference, every flow with verify's prediction for each relay down, and
/// the traffic <see cref="LabFailoverDrill"/> measures a switch by (null when no flow suits). A blueprint without failover has none.
/// </summary>
public sealed record LabFailover(
    IReadOnlyList<LabFailoverAgent> Agents,
    IReadOnlyList<string> Relays,
    IReadOnlyDictionary<string, IReadOnlyList<LabFlow>> FlowsWithRelayDown,
    LabFailoverTraffic? Traffic)
{
    private const int FirstStreamPort = 5001;

    public string Preferred => Relays[0];

    /// <summary>The relay the agents use while <paramref name="down"/> does not answer: the first other one in order of preference.</summary>
    public string ActiveWithout(string down) => Relays.First(relay => relay != down);

    /// <summary>
    /// The measured traffic: the first flow declared and predicted to pass both with every relay up and with each relay
    /// down, from a host that is not a relay, to an address a lab host other than a relay holds, whose echoes verify
    /// predicts the network lets through (so ping can measure it); LAN hosts first. A TCP stream goes beside it to a LAN
    /// host when the flows are not an enforced allow list (the stream's port is no declared flow).
    /// </summary>
    public static LabFailoverTraffic? MeasuredTraffic(Topology topology, LabBlueprint blueprint, IEnumerable<IReadOnlyList<LabFlow>> flowsWithRelayDown)
    {
        var relays = topology.HubRelays.Select(relay => relay.Name).ToHashSet(StringComparer.Ordinal);
        var everyState = flowsWithRelayDown.Prepend(blueprint.Flows).ToList();
        var holders = blueprint.Wires.SelectMany(wire => new[] { wire.A, wire.B })
            .SelectMany(link => link.Addresses.Select(address => (Address: address.Split('/')[0], link.Host)))
            .ToLookup(entry => entry.Address, entry => entry.Host, StringComparer.Ordinal);
        var candidates = blueprint.Flows.Select((flow, index) => (Flow: flow, Index: index, Target: holders[flow.ToAddress].FirstOrDefault()))
            .Where(candidate => candidate.Target is not null && !relays.Contains(candidate.Target) && !relays.Contains(candidate.Flow.FromHost) && candidate.Flow.ExpectAllowed)
            .Where(candidate => everyState.All(flows => flows[candidate.Index] is { PredictedAllowed: true, EchoBlocked: false }))
            .OrderBy(candidate => blueprint.Host(candidate.Target!).Role == LabRole.LanHost ? 0 : 1)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var (chosen, _, target) = candidates[0];
        var streamPort = topology.Network.Policy == FlowPolicy.Open && blueprint.Host(target!).Role == LabRole.LanHost
            ? Enumerable.Range(FirstStreamPort, 100).First(port => blueprint.Services.All(service => service.Host != target || service.Port != port))
            : (int?)null;
        return new LabFailoverTraffic(chosen.FromHost, target!, chosen.ToAddress, streamPort);
    }
}

/// <summary>A site node's failover agent: the plan's configuration for it.</summary>
public sealed record LabFailoverAgent(string Node, FailoverSettings Settings);

/// <summary>What the failover drill pings every 100 ms, and the port of the TCP stream it sends across the switch (null: none).</summary>
public sealed record LabFailoverTraffic(string FromHost, string ToHost, string ToAddress, int? StreamPort);
