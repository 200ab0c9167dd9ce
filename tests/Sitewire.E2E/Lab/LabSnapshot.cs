using System.Text;
using Sitewire.Host.Lab;
using Sitewire.Host.Linux;

namespace Sitewire.E2E.Lab;

/// <summary>
/// What a lab's WireGuard nodes look like now — links, `wg show IF dump`, the UAPI directory, firewalld's active zones, the processes in the
/// namespace — so a failed flow says whether the tunnel was slow, dead, or gone (an engine that exited removes its interface).
/// </summary>
internal static class LabSnapshot
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The node's firewalld zones, where it runs one (a node without firewalld finds no bus and prints nothing).</summary>
    private static readonly string[] FirewalldState = ["sh", "-c", "! firewall-cmd --state >/dev/null 2>&1 || firewall-cmd --list-all-zones | sed -n '/(active)/,/^$/p'"];

    public static string Describe(LabState state)
    {
        var text = new StringBuilder();
        foreach (var (node, iface) in state.Tunnels)
        {
            var ns = state.NamespaceOf(node);
            text.AppendLine($"--- {node} ({ns})");
            foreach (var command in new[] { new[] { "ip", "-br", "link" }, ["wg", "show", iface, "dump"], ["ls", "-l", "/run/wireguard/"], FirewalldState })
            {
                var result = LabExec.Run(state, node, command, CommandTimeout);
                text.AppendLine($"$ {string.Join(' ', command)} (exit {result.ExitCode})")
                    .AppendLine((result.StandardOutput + result.StandardError).TrimEnd());
            }
            text.AppendLine("processes: " + string.Join("; ", ProcessTable.InNamespace(ns).Select(pid => $"{pid} {ProcessTable.CommandLine(pid)}")));
        }
        text.AppendLine("recorded processes: " + string.Join("; ", state.Processes.Select(p => $"{p.Pid} {p.CommandLine} ({(ProcessTable.IsAlive(p.Pid, p.CommandLine, p.StartTime) ? "running" : "gone")})")));
        return text.ToString();
    }
}
