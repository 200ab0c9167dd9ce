using Sitewire.Netfilter;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// Check names per family: IPv4 keeps the names the doctor always had ("ip_forward", "routes", "masquerade eth1");
/// IPv6 adds "ipv6" after the check ("ipv6 forwarding", "routes ipv6", "masquerade ipv6 eth1").
/// </summary>
internal static class FamilyCheckNames
{
    public static string Forwarding(IpFamily family) => family == IpFamily.V4 ? "ip_forward" : "ipv6 forwarding";

    public static string Of(string check, IpFamily family, string? subject = null) =>
        string.Join(' ', new[] { check, family == IpFamily.V4 ? null : "ipv6", subject }.OfType<string>());
}
