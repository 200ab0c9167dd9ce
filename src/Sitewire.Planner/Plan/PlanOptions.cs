using Sitewire.Config.Topology;
namespace Sitewire.Planner.Plan;

/// <summary>What <c>sitewire plan</c> was asked for: key handling, preshared keys per link, Ansible output.</summary>
public sealed record PlanOptions(KeyMode Keys = KeyMode.Central, bool PresharedKeys = false, bool Ansible = false);
