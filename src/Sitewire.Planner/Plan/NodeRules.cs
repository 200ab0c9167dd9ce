namespace Sitewire.Planner.Plan;

/// <summary>The structured host changes for one node; renderers turn them into PostUp/PostDown lines. <see cref="Clamp"/> is null on nodes that forward no LAN TCP into the tunnel, or with `mss_clamp: false`.</summary>
public sealed record NodeRules(IReadOnlyList<SysctlSetting> Sysctls, IReadOnlyList<NatRule> Nat, FirewallPlan Firewall, MssClamp? Clamp = null);
