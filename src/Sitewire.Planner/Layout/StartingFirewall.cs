namespace Sitewire.Planner.Layout;

/// <summary>
/// The packet filter a host starts with, before `wg-quick up` adds the plan's openings: for a node, the baseline
/// `sitewire verify` assumes for its OS family.
/// </summary>
public enum StartingFirewall
{
    /// <summary>An empty ruleset: LAN hosts and routers (and, in a lab run with `--no-firewalld`, RHEL-family nodes).</summary>
    Empty,

    /// <summary>
    /// Debian/Ubuntu: iptables and ip6tables FORWARD policy DROP with established/related accepted, INPUT accepting;
    /// in the lab made with the same `iptables`/`ip6tables` commands as the plan's PostUp, so both land in the same tables.
    /// </summary>
    IptablesForwardDrop,

    /// <summary>
    /// RHEL family: firewalld ≥ 1.0 with default zone `public` holding the node's interfaces, the tunnel in no zone until
    /// PostUp; in the lab the real firewalld in the node's namespace, on its own system bus and configuration.
    /// </summary>
    Firewalld,
}
