using Sitewire.Host.Lab;
using Sitewire.Host.Linux;

namespace Sitewire.E2E.Lab;

/// <summary>Asserts that nothing of a lab remains: namespaces (and so their veths and TUNs), hosts files, state and UAPI sockets, processes.</summary>
internal static class LabLeftovers
{
    public static void AssertNone(string id, IEnumerable<LabProcess> processes)
    {
        var prefix = LabPaths.NamespaceName(id, "");
        Assert.Empty(Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Select(Path.GetFileName).Where(n => n!.StartsWith(prefix, StringComparison.Ordinal)) : []);
        Assert.Empty(Directory.Exists("/etc/netns") ? Directory.GetDirectories("/etc/netns").Select(Path.GetFileName).Where(n => n!.StartsWith(prefix, StringComparison.Ordinal)) : []);
        Assert.False(Directory.Exists(LabPaths.LabDirectory(id)), $"{LabPaths.LabDirectory(id)} (state, configs, UAPI sockets) remains");
        Assert.DoesNotContain(processes, p => ProcessTable.IsAlive(p.Pid, p.CommandLine, p.StartTime));
    }

    /// <summary>The lab's processes as recorded now (engines, responders), to check later that they are gone.</summary>
    public static List<LabProcess> Snapshot(string id) => LabState.Load(id)?.Processes.ToList() ?? [];
}
