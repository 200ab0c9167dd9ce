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
        foreach (var process in state.Processes.Where(p => ProcessTable.IsAlive(p.Pid, p.CommandLine)))
        {
            victims.Add(process.Pid);
        }
        foreach (var ns in state.Namespaces.Values)
        {
            victims.UnionWith(ProcessTable.InNamespace(ns));
        }
        victims.Remove(Environment.ProcessId);
        Parallel.ForEach(victims, pid => ProcessTable.Kill(pid, TimeSpan.FromSeconds(3)));
        foreach (var ns in state.Namespaces.Values.Where(ns => File.Exists(Path.Combine("/run/netns", ns))))
        {
            Shell.Run("ip", "netns", "del", ns);
        }
        if (Directory.Exists(state.Directory))
        {
            Directory.Delete(state.Directory, recursive: true);
        }
        log?.Invoke($"[lab] {state.Id}: removed {state.Namespaces.Count} namespaces, {victims.Count} processes");
    }

    /// <summary>Removes labs whose owner is gone and that were not kept (crashed or killed runs).</summary>
    public static int RemoveAbandoned(Action<string>? log = null)
    {
        var abandoned = LabState.All().Where(s => !s.Keep && !ProcessTable.IsAlive(s.OwnerPid, s.OwnerCommandLine)).ToList();
        foreach (var state in abandoned)
        {
            log?.Invoke($"[lab] {state.Id}: left behind by a run that ended (pid {state.OwnerPid}); removing it");
            Remove(state, log);
        }
        return abandoned.Count;
    }
}
