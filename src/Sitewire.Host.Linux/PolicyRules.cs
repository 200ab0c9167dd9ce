using System.Text.RegularExpressions;
using Sitewire.Netfilter;

namespace Sitewire.Host.Linux;

/// <summary>A policy routing rule as `ip -4|-6 rule show` prints it, whitespace collapsed: "32765: not from all fwmark 0xca6c lookup 51820".</summary>
public sealed record PolicyRuleState(IpFamily Family, string Rule);

/// <summary>
/// Parses `ip -4|-6 rule show` and tells the rules every host has (local, main and default lookups) and wg-quick's own
/// (the fwmark rule that sends what is not the tunnel's own into its table, and main without its default routes) from the rest.
/// </summary>
public static partial class PolicyRules
{
    public static IReadOnlyList<PolicyRuleState> Parse(string text, IpFamily family) =>
        [.. text.Split('\n').Select(line => Spaces().Replace(line, " ").Trim()).Where(line => line.Length > 0).Select(line => new PolicyRuleState(family, line))];

    /// <summary>Whether the rule is the kernel's own or one wg-quick adds; priorities and an appended "proto X" aside.</summary>
    public static bool IsStandard(PolicyRuleState rule) => Standard().IsMatch(rule.Rule);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^\d+: (from all lookup (local|main|default)|from all lookup main suppress_prefixlength 0|not from all fwmark 0x[0-9a-f]+ lookup \d+)( proto \w+)?$")]
    private static partial Regex Standard();
}
