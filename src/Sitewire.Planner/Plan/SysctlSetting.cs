namespace Sitewire.Planner.Plan;

/// <summary>A kernel setting the node needs while the tunnel is up, e.g. <c>net.ipv4.ip_forward = 1</c>.</summary>
public sealed record SysctlSetting(string Name, string Value);
