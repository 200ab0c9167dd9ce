using System.Diagnostics;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

/// <summary>
/// Runs commands inside a lab host. In a WireGuard node the command sees the node's own UAPI directory at
/// /run/wireguard (bind-mounted in the private mount namespace `ip netns exec` creates), so every node can
/// keep the interface name the topology gives (e.g. wireguard0) and `wg`, `wg-quick` and `sitewire doctor`
/// work unchanged, while two nodes or two labs never share a socket. A node's commands also get its own system bus
/// (<see cref="LabFirewalld.BusAddress"/>), so firewall-cmd reaches the node's firewalld, or no firewalld at all.
/// </summary>
public static class LabExec
{
    private const string BindUapi = "mkdir -p /run/wireguard && mount --bind \"$0\" /run/wireguard && exec \"$@\"";

    public static IReadOnlyList<string> CommandLine(LabState state, string host, IReadOnlyList<string> command)
    {
        var ns = state.NamespaceOf(host);
        return state.Tunnels.ContainsKey(host)
            ? ["ip", "netns", "exec", ns, "env", "DBUS_SYSTEM_BUS_ADDRESS=" + LabFirewalld.BusAddress(state, host), "sh", "-c", BindUapi, state.UapiDirectory(host), .. command]
            : ["ip", "netns", "exec", ns, .. command];
    }

    public static CommandResult Run(LabState state, string host, IReadOnlyList<string> command, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var line = CommandLine(state, host, command);
        return Shell.Run(line[0], line.Skip(1), timeout, standardInput, environment);
    }

    /// <summary>Starts a command inside a lab host in the background, its output redirected to the caller; the caller stops it by PID.</summary>
    public static Process Start(LabState state, string host, IReadOnlyList<string> command)
    {
        var line = CommandLine(state, host, command);
        var start = new ProcessStartInfo(line[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in line.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }
}
