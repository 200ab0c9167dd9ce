using Sitewire.Host.Processes;
using Sitewire.Netfilter;
using Sitewire.Planner.Layout;

namespace Sitewire.Host.Lab;

/// <summary>Puts a lab host's <see cref="StartingFirewall"/> in place and says which nodes start with which.</summary>
internal static class LabFirewallBaseline
{
    /// <summary>
    /// The commands that make the starting firewall in an empty network namespace, in order: each base chain's policy, then
    /// each rule, written from the <see cref="StartingRuleset"/> verify evaluates.
    /// </summary>
    public static IEnumerable<string[]> Commands(StartingFirewall firewall)
    {
        var ruleset = StartingRuleset.Of(firewall, docker: false);
        foreach (var family in IpFamily.Both)
        {
            foreach (var chain in ruleset.Chains.Where(c => c.Family == family.Nft && c.Hook is not null && c.Policy != "accept"))
            {
                yield return [family.Iptables, .. chain.Table == "filter" ? Array.Empty<string>() : ["-t", chain.Table], "-P", chain.Name, chain.Policy.ToUpperInvariant()];
            }
            foreach (var rule in ruleset.Rules.Where(r => r.Family == family.Nft))
            {
                yield return [family.Iptables, .. IptablesSyntax.AppendCommand(rule)];
            }
        }
    }

    public static void Apply(string ns, StartingFirewall firewall)
    {
        foreach (var command in Commands(firewall))
        {
            Shell.Run("ip", ["netns", "exec", ns, .. command]).EnsureSuccess();
        }
    }

    /// <summary>One progress line naming the nodes of each starting firewall, e.g. for the seed: home iptables, relay and office firewalld.</summary>
    public static string Summary(LabBlueprint blueprint, bool firewalld = true)
    {
        var nodes = blueprint.Hosts.Where(h => h.Role == LabRole.Node).ToLookup(h => h.Firewall, h => h.Name);
        var parts = new List<string>();
        if (nodes[StartingFirewall.IptablesForwardDrop].Any())
        {
            parts.Add($"{string.Join(", ", nodes[StartingFirewall.IptablesForwardDrop])}: as verify assumes for Debian/Ubuntu (iptables and ip6tables FORWARD policy DROP, established/related accepted)");
        }
        if (nodes[StartingFirewall.Firewalld].Any())
        {
            parts.Add(firewalld
                ? $"{string.Join(", ", nodes[StartingFirewall.Firewalld])}: firewalld as verify assumes for the RHEL family (default zone {LabFirewalld.ZoneName} holding the node's interfaces, the tunnel in no zone until PostUp)"
                : $"{string.Join(", ", nodes[StartingFirewall.Firewalld])}: empty (RHEL family, --no-firewalld: the plan's firewalld changes are not proven here)");
        }
        if (nodes[StartingFirewall.Empty].Any())
        {
            parts.Add($"{string.Join(", ", nodes[StartingFirewall.Empty])}: empty");
        }
        return "[lab] starting firewall: " + string.Join("; ", parts);
    }
}
