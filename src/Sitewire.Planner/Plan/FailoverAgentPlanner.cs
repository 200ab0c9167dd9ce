using Sitewire.Config.Failover;
using Sitewire.Config.Topology;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The failover agent's settings for a node that peers with several relays (docs/failover.md): the prefixes its entry
/// for the preferred relay holds are the carried ones, each relay keeps its own host addresses. Null for a node that
/// does not fail over (a relay, any node of a topology with one relay, or a phone or desktop, which runs the WireGuard
/// app and no agent: it stays on the preferred relay).
/// </summary>
public static class FailoverAgentPlanner
{
    public const string ConfigFile = "sitewire-failover.conf";

    public const string UnitFile = "sitewire-failover@.service";

    /// <summary>Where the README installs the agent's configuration; the unit reads it from there.</summary>
    public static string InstalledConfigPath(string tunnel) => $"/etc/sitewire/failover-{tunnel}.conf";

    public static FailoverSettings? Plan(Topology topology, Node node, IReadOnlyList<PeerLink> links, PlanKeys keys)
    {
        var relays = topology.HubRelays;
        if (!topology.HasFailover || relays.Contains(node) || node.Os.IsClientDevice())
        {
            return null;
        }
        var tunnel = topology.Network.InterfaceName;
        var carried = links.Single(link => link.Peer.Name == relays[0].Name).AllowedIps;
        return new FailoverSettings(
            tunnel,
            carried,
            [.. relays.Select(relay => new FailoverRelay(relay.Name, keys.PublicKey(relay.Name), relay.OverlayAddress, [.. PeerLinks.HostPrefixes(relay)]))],
            FailoverTimings.Default,
            FailoverSettings.DefaultStateFile(tunnel));
    }

    /// <summary>The systemd template unit: one agent per WireGuard interface, started and stopped with its wg-quick unit.</summary>
    public static string Unit() => """
        [Unit]
        Description=sitewire failover agent for %i: moves the relays' traffic to the relay that answers
        After=wg-quick@%i.service
        BindsTo=wg-quick@%i.service

        [Service]
        ExecStart=/usr/local/bin/sitewire failover run /etc/sitewire/failover-%i.conf
        Restart=always
        RestartSec=2

        [Install]
        WantedBy=wg-quick@%i.service

        """;
}
