using System.Diagnostics;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Linux;

/// <summary>Reads /proc to recognise processes by command line, lists a namespace's processes, and kills by PID.</summary>
public static class ProcessTable
{
    /// <summary>The command line of a running process (arguments joined by spaces), or null when it is gone.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.Length == 0 ? null : raw.TrimEnd('\0').Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid, string commandLine) => CommandLine(pid) == commandLine;

    /// <summary>PIDs of the processes whose network namespace is the named one (`ip netns pids`).</summary>
    public static IReadOnlyList<int> InNamespace(string namespaceName)
    {
        var result = Shell.Run("ip", "netns", "pids", namespaceName);
        return !result.Succeeded
            ? []
            : [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
    }

    /// <summary>Kills a process by PID unless it is this process; waits up to <paramref name="wait"/> for it to go.</summary>
    public static void Kill(int pid, TimeSpan wait)
    {
        if (pid == Environment.ProcessId)
        {
            return;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(wait);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
