using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Linux;

/// <summary>`ip rule show` as iproute2 prints it: the kernel's and wg-quick's rules are told from any other.</summary>
public class PolicyRulesTests
{
    [Fact]
    public void The_kernels_and_wg_quicks_rules_are_standard_and_any_other_is_not()
    {
        const string printed = """
            0:	from all lookup local
            1000:	from 192.168.3.50 lookup 100
            32000:	from all to 10.1.0.0/16 unreachable
            32764:	from all lookup main suppress_prefixlength 0 proto unspec
            32765:	not from all fwmark 0xca6c lookup 51820
            32765:	from all iif eth1 lookup 200
            32766:	from all lookup main proto kernel
            32767:	from all lookup default

            """;

        var rules = PolicyRules.Parse(printed, IpFamily.V6);

        Assert.All(rules, rule => Assert.Equal(IpFamily.V6, rule.Family));
        Assert.Equal(
            ["1000: from 192.168.3.50 lookup 100", "32000: from all to 10.1.0.0/16 unreachable", "32765: from all iif eth1 lookup 200"],
            rules.Where(rule => !PolicyRules.IsStandard(rule)).Select(rule => rule.Rule));
        Assert.Equal(8, rules.Count);
    }
}
