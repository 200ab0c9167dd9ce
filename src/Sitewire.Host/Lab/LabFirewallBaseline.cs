using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

/// <summary>Puts a lab host's <see cref="LabStartingFirewall"/> in place and says which nodes start with which.</summary>
internal static class LabFirewallBaseline
{
    private static readonly string[] IptablesCommands = ["iptables", "ip6tables"];

    /// <summary>The commands that make the starting firewall in an empty network namespace, in order.</summary>
    public static IEnumerable<string[]> Commands(LabStartingFirewall firewall) =>
        firewall == LabStartingFirewall.IptablesForwardDrop
            ? IptablesCommands.SelectMany(command => new[]
            {
                new[] { command, "-P", "FORWARD", "DROP" },
                new[] { command, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT" },
            })
            : [];

    public static void Apply(string ns, LabStartingFirewall firewall)
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
        if (nodes[LabStartingFirewall.IptablesForwardDrop].Any())
        {
            parts.Add($"{string.Join(", ", nodes[LabStartingFirewall.IptablesForwardDrop])}: as verify assumes for Debian/Ubuntu (iptables and ip6tables FORWARD policy DROP, established/related accepted)");
        }
        if (nodes[LabStartingFirewall.Firewalld].Any())
        {
            parts.Add(firewalld
                ? $"{string.Join(", ", nodes[LabStartingFirewall.Firewalld])}: firewalld as verify assumes for the RHEL family (default zone {LabFirewalld.ZoneName} holding the node's interfaces, the tunnel in no zone until PostUp)"
                : $"{string.Join(", ", nodes[LabStartingFirewall.Firewalld])}: empty (RHEL family, --no-firewalld: the plan's firewalld changes are not proven here)");
        }
        if (nodes[LabStartingFirewall.Empty].Any())
        {
            parts.Add($"{string.Join(", ", nodes[LabStartingFirewall.Empty])}: empty");
        }
        return "[lab] starting firewall: " + string.Join("; ", parts);
    }
}
