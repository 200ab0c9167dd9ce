using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor;

/// <summary>The route the kernel picks toward a peer endpoint (`ip -j route get`): device and source address, or why none.</summary>
public sealed record EndpointRoute(string? Device, string? Source, string? Error);

/// <summary>
/// Everything the doctor reads from a live node, captured once so the checks are pure functions of it
/// (unit tests build snapshots from recorded command output).
/// </summary>
public sealed record NodeSnapshot(
    IReadOnlyList<WireGuardInterfaceState> WireGuard,
    IReadOnlyList<LinkState> Links,
    IReadOnlyList<AddressState> Addresses,
    IReadOnlyList<RouteState> Routes,
    IReadOnlyList<PolicyRuleState> PolicyRules,
    NetfilterRuleset Ruleset,
    IReadOnlyDictionary<string, string> Sysctls,
    IReadOnlyDictionary<string, EndpointRoute> EndpointRoutes,
    FirewalldState? Firewalld,
    DateTimeOffset Now)
{
    public string Sysctl(string key, string fallback = "0") => Sysctls.TryGetValue(key, out var value) ? value.Trim() : fallback;

    public LinkState? Link(string name) => Links.FirstOrDefault(l => l.Name == name);
}
