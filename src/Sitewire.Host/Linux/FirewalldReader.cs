using Sitewire.Host.Doctor;
using Sitewire.Host.Processes;
using Sitewire.Text;

namespace Sitewire.Host.Linux;

/// <summary>
/// Reads firewalld through `firewall-cmd`: whether it runs, the default zone, each interface's zone (the default one
/// when it has none), and whether each of those zones forwards and masquerades. A zone name is what firewall-cmd printed,
/// trimmed; it must be a zone name (letters, digits, '_', '-', '.'; at most 64), since the doctor puts it in the
/// commands it suggests: anything else is a <see cref="FormatException"/> naming the command and the (escaped) output.
/// </summary>
public static class FirewalldReader
{
    private const int MaxZoneLength = 64;

    /// <param name="interfaces">The node's interface names.</param>
    /// <param name="firewallCmd">Runs firewall-cmd with the arguments.</param>
    /// <returns>Null when firewalld does not run.</returns>
    public static FirewalldState? Read(IEnumerable<string> interfaces, Func<string[], CommandResult> firewallCmd)
    {
        ArgumentNullException.ThrowIfNull(firewallCmd);
        if (!firewallCmd(["--state"]).Succeeded)
        {
            return null;
        }
        var defaultZone = Zone(firewallCmd(["--get-default-zone"]));
        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in interfaces.Distinct(StringComparer.Ordinal))
        {
            zoneOf[name] = firewallCmd([$"--get-zone-of-interface={name}"]) is { Succeeded: true } zone ? Zone(zone) : defaultZone;
        }
        var zones = zoneOf.Values.Distinct(StringComparer.Ordinal).ToList();
        return new FirewalldState(
            zoneOf,
            zones.ToDictionary(z => z, z => firewallCmd([$"--zone={z}", "--query-forward"]).Succeeded),
            zones.ToDictionary(z => z, z => firewallCmd([$"--zone={z}", "--query-masquerade"]).Succeeded));
    }

    private static string Zone(CommandResult result)
    {
        var zone = result.StandardOutput.Trim();
        if (zone.Length is 0 or > MaxZoneLength || !zone.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new FormatException($"`{result.Command}` printed {DisplayText.Escape(zone)}, not a firewalld zone name");
        }
        return zone;
    }
}
