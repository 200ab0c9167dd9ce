namespace Sitewire.Planner.Plan;

/// <summary>The packet filter a node's rules are rendered for: iptables (Ubuntu, Debian) or nftables (RHEL family).</summary>
public enum RuleBackend
{
    Iptables,
    Nftables,
}
