namespace Sitewire.Host.Lab;

/// <summary>
/// The packet filter a lab host starts with, before `wg-quick up` adds the plan's openings: for a node, the baseline
/// `sitewire verify` assumes for its OS family, where the lab can reproduce it.
/// </summary>
public enum LabStartingFirewall
{
    /// <summary>An empty ruleset: LAN hosts, routers, and RHEL-family nodes in a lab run with `--no-firewalld`.</summary>
    Empty,

    /// <summary>
    /// Debian/Ubuntu: iptables and ip6tables FORWARD policy DROP with established/related accepted, INPUT accepting;
    /// made with the same `iptables`/`ip6tables` commands as the plan's PostUp, so both land in the same tables.
    /// </summary>
    IptablesForwardDrop,

    /// <summary>
    /// RHEL family: the real firewalld in the node's namespace, on its own system bus and configuration, in the state verify
    /// assumes (see <see cref="LabFirewalld"/>); empty instead when the lab runs without firewalld.
    /// </summary>
    Firewalld,
}
