using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The openings a node needs: its WireGuard UDP port (null when it does not listen), forward
/// accepts between the tunnel and the LAN (or the tunnel and itself on a relay), and the firewalld
/// zone change on OS families that use firewalld; and the node's declared <see cref="Drops"/>, above every accept.
/// <see cref="FlowPolicy"/>: with <c>network.policy: flows</c>, what may arrive from the tunnel and be forwarded (the forward
/// accepts then hold no tunnel ingress).
/// <see cref="DockerUser"/>: the node runs Docker and the forward accepts go into Docker's DOCKER-USER chain (with iptables on
/// every OS family, since Docker's FORWARD is iptables'), where Docker leaves them across its restarts.
/// </summary>
public sealed record FirewallPlan(int? OpenUdpPort, IReadOnlyList<ForwardAccept> ForwardAccepts, FirewalldZoneChange? Firewalld, IReadOnlyList<DropRule> Drops,
    FlowFilter? FlowPolicy = null, bool DockerUser = false);
