using Sitewire.Host.Processes;
using Sitewire.Text;

namespace Sitewire.Host.Linux;

/// <summary>
/// Reads firewalld's runtime state through `firewall-cmd` (each call starts a Python interpreter, so four calls, then one per
/// service the active zones open): whether it runs, the default zone, every zone, every policy, and the ports of those
/// services with the ones they include (`--info-service` answers for one service only). A zone or service name must be one
/// (letters, digits, '_', '-', '.'; at most 64), since the doctor puts it in the commands it suggests: anything else is a
/// <see cref="FormatException"/> naming the command and the (escaped) output.
/// </summary>
public static class FirewalldReader
{
    private const int MaxNameLength = 64;

    private const int MaxServices = 512;

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
        CheckName(state.DefaultZone, defaultZone);
        foreach (var zone in state.Zones)
        {
            CheckName(zone.Name, zones);
            foreach (var service in zone.Services)
            {
                CheckName(service, zones);
            }
        }
        foreach (var policy in state.Policies)
        {
            foreach (var zone in policy.IngressZones.Concat(policy.EgressZones))
            {
                CheckName(zone, policies);
            }
        }
        return state with { ServicePorts = ServicePorts(firewallCmd, state.ActiveZones().SelectMany(z => z.Services)) };
    }

    /// <summary>
    /// The ports of each service with its includes' ports (each service asked once, so an include cycle ends; at most
    /// <see cref="MaxServices"/>, more than firewalld ships); a service firewall-cmd does not describe, or one including such a
    /// service, is left out.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>> ServicePorts(Func<string[], CommandResult> firewallCmd, IEnumerable<string> services)
    {
        var described = new Dictionary<string, (IReadOnlyList<string> Ports, IReadOnlyList<string> Includes)?>(StringComparer.Ordinal);
        var pending = new Queue<string>(services);
        while (described.Count < MaxServices && pending.TryDequeue(out var service))
        {
            if (!described.TryAdd(service, null))
            {
                continue;
            }
            var info = firewallCmd([$"--info-service={service}"]);
            if (!info.Succeeded)
            {
                continue;
            }
            var (ports, includes) = FirewalldState.ParseService(info.StandardOutput);
            foreach (var included in includes)
            {
                CheckName(included, info);
                pending.Enqueue(included);
            }
            described[service] = (ports, includes);
        }
        List<string>? Ports(string service, HashSet<string> seen)
        {
            if (!seen.Add(service))
            {
                return [];
            }
            if (described.GetValueOrDefault(service) is not { } info)
            {
                return null;
            }
            var ports = new List<string>(info.Ports);
            foreach (var included in info.Includes)
            {
                if (Ports(included, seen) is not { } more)
                {
                    return null;
                }
                ports.AddRange(more);
            }
            return ports;
        }
        return described.Keys.Select(service => (Service: service, Ports: Ports(service, [])))
            .Where(entry => entry.Ports is not null)
            .ToDictionary(entry => entry.Service, entry => (IReadOnlyList<string>)[.. entry.Ports!.Distinct()], StringComparer.Ordinal);
    }

    private static void CheckName(string name, CommandResult printedBy)
    {
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new FormatException($"`{printedBy.Command}` printed {DisplayText.Escape(name)}, not a firewalld zone or service name");
        }
    }
}
