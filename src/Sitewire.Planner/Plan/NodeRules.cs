namespace Sitewire.Planner.Plan;

/// <summary>
/// The structured host changes for one node; renderers turn them into PostUp/PostDown lines. <see cref="Maps"/> are the
/// node's mapped LAN subnets. <see cref="Clamp"/> is null on nodes that forward no LAN TCP into the tunnel, or with `mss_clamp: false`.
/// </summary>
public sealed record NodeRules(IReadOnlyList<SysctlSetting> Sysctls, IReadOnlyList<NatRule> Nat, IReadOnlyList<PrefixMap> Maps, FirewallPlan Firewall, MssClamp? Clamp = null);
