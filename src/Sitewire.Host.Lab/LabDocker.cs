using Sitewire.Config.Topology;
using Sitewire.Host.Processes;
using Sitewire.Planner.Layout;

namespace Sitewire.Host.Lab;

/// <summary>
/// Nodes with <c>docker: true</c> start with Docker's real ruleset: `iptables-save` recorded from Debian 12's docker.io
/// (20.10) run in a network namespace (<see cref="StartingRuleset.DockerIptablesSave"/>, which verify evaluates), replayed with `iptables-restore` in the node's
/// namespace after its starting firewall and before any PostUp, as on a host where Docker started before the tunnel. It
/// replaces the IPv4 filter and nat tables: FORWARD policy DROP, DOCKER-USER jumped to first, no general established accept.
/// </summary>
public static class LabDocker
{
    public static IReadOnlyList<string> For(Topology topology) => [.. topology.Nodes.Where(node => node.Docker).Select(node => node.Name)];

    public static void Apply(LabBlueprint blueprint, LabState state, Action<string> log)
    {
        if (blueprint.DockerNodes.Count == 0)
        {
            return;
        }
        var ruleset = StartingRuleset.DockerIptablesSave;
        foreach (var node in blueprint.DockerNodes)
        {
            Shell.Run("ip", ["netns", "exec", state.NamespaceOf(node), "iptables-restore"], standardInput: ruleset).EnsureSuccess();
        }
        log($"[lab] docker: {string.Join(", ", blueprint.DockerNodes)} start with Docker 20.10's recorded ruleset (iptables FORWARD policy DROP, DOCKER-USER first)");
    }
}
