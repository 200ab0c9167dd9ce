using Sitewire.Host.Processes;
using Sitewire.Text;

namespace Sitewire.Host.Linux;

/// <summary>
/// Reads firewalld's runtime state through `firewall-cmd` (each call starts a Python interpreter, so four calls in all):
/// whether it runs, the default zone, every zone and every policy. A zone name must be a zone name (letters, digits,
/// '_', '-', '.'; at most 64), since the doctor puts it in the commands it suggests: anything else is a
/// <see cref="FormatException"/> naming the command and the (escaped) output.
/// </summary>
public static class FirewalldReader
{
    private const int MaxZoneLength = 64;

    /// <param name="firewallCmd">Runs firewall-cmd with the arguments.</param>
    /// <returns>Null when firewalld does not run.</returns>
    public static FirewalldState? Read(Func<string[], CommandResult> firewallCmd)
    {
        ArgumentNullException.ThrowIfNull(firewallCmd);
        if (!firewallCmd(["--state"]).Succeeded)
        {
            return null;
        }
        var defaultZone = firewallCmd(["--get-default-zone"]);
        var zones = firewallCmd(["--list-all-zones"]);
        var policies = firewallCmd(["--list-all-policies"]);
        var state = FirewalldState.Parse(defaultZone.StandardOutput, zones.StandardOutput, policies.StandardOutput);
        CheckZoneName(state.DefaultZone, defaultZone);
        foreach (var zone in state.Zones)
        {
            CheckZoneName(zone.Name, zones);
        }
        foreach (var policy in state.Policies)
        {
            foreach (var zone in policy.IngressZones.Concat(policy.EgressZones))
            {
                CheckZoneName(zone, policies);
            }
        }
        return state;
    }

    private static void CheckZoneName(string zone, CommandResult printedBy)
    {
        if (zone.Length is 0 or > MaxZoneLength || !zone.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new FormatException($"`{printedBy.Command}` printed {DisplayText.Escape(zone)}, not a firewalld zone name");
        }
    }
}
