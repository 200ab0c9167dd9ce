using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>The policy routing rules a host starts with, as `ip -4 rule show` and `ip -6 rule show` print them.</summary>
internal static class DefaultPolicyRules
{
    public static IReadOnlyList<PolicyRuleState> Both { get; } =
    [
        .. PolicyRules.Parse("0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n", IpFamily.V4),
        .. PolicyRules.Parse("0:\tfrom all lookup local\n32766:\tfrom all lookup main\n", IpFamily.V6),
    ];
}
