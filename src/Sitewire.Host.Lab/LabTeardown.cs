using Sitewire.Host.Linux;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

/// <summary>
/// Removes everything a lab recorded: the processes it started (recognised by PID and command line) and any
/// process left inside its namespaces, then the namespaces (their veths and TUN devices go with them) and the
/// lab directory (configs, keys, UAPI sockets).
/// </summary>
public static class LabTeardown
{
    public static void Remove(LabState state, Action<string>? log = null)
    {
        var victims = new HashSet<int>();
        foreach (var process in state.Processes.Where(p => ProcessTable.IsAlive(p.Pid, p.CommandLine, p.StartTime)))
        {
            victims.Add(process.Pid);
        }
        foreach (var ns in state.Namespaces.Values)
        {
            victims.UnionWith(ProcessTable.InNamespace(ns));
        }
        victims.Remove(Environment.ProcessId);
        Parallel.ForEach(victims, pid => ProcessTable.Kill(pid, TimeSpan.FromSeconds(3)));
        foreach (var ns in state.Namespaces.Values)
        {
            RemoveNamespace(ns);
        }
        if (Directory.Exists(state.Directory))
        {
            Directory.Delete(state.Directory, recursive: true);
        }
        log?.Invoke($"[lab] {state.Id}: removed {state.Namespaces.Count} namespaces, {victims.Count} processes");
    }

    /// <summary>
    /// Removes labs whose owner is gone and that were not kept (crashed or killed runs), and lab namespaces
    /// without a state file (a state file is always written before a lab creates its first namespace).
    /// </summary>
    public static int RemoveAbandoned(Action<string>? log = null)
    {
        var abandoned = LabState.All().Where(s => !s.Keep && !s.OwnerIsRunning).ToList();
        foreach (var state in abandoned)
        {
            log?.Invoke($"[lab] {state.Id}: left behind by a run that ended (pid {state.OwnerPid}); removing it");
            Remove(state, log);
        }
        var orphans = OrphanNamespaces();
        foreach (var ns in orphans)
        {
            log?.Invoke($"[lab] removing namespace {ns} (no lab state left)");
            foreach (var pid in ProcessTable.InNamespace(ns))
            {
                ProcessTable.Kill(pid, TimeSpan.FromSeconds(3));
            }
            RemoveNamespace(ns);
        }
        return abandoned.Count + orphans.Count;
    }

    private static void RemoveNamespace(string ns)
    {
        if (File.Exists(Path.Combine("/run/netns", ns)))
        {
            Shell.Run("ip", "netns", "del", ns);
        }
        if (Directory.Exists(LabPaths.EtcDirectory(ns)))
        {
            Directory.Delete(LabPaths.EtcDirectory(ns), recursive: true);
        }
    }

    private static List<string> OrphanNamespaces()
    {
        if (!Directory.Exists("/run/netns"))
        {
            return [];
        }
        return [.. Directory.GetFiles("/run/netns")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name.StartsWith(LabPaths.NamespacePrefix, StringComparison.Ordinal) && name.Length > LabPaths.NamespacePrefix.Length + 5)
            .Where(name => !Directory.Exists(LabPaths.LabDirectory(name.Substring(LabPaths.NamespacePrefix.Length, 4))))];
    }
}
