namespace Sitewire.Planner.Plan;

/// <summary>The structured host changes for one node; renderers turn them into PostUp/PostDown lines.</summary>
public sealed record NodeRules(IReadOnlyList<SysctlSetting> Sysctls, IReadOnlyList<NatRule> Nat, FirewallPlan Firewall);
