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

    /// <summary>When the process started, in clock ticks after boot (/proc/PID/stat field 22), or null when it is gone.</summary>
    public static ulong? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return ulong.TryParse(fields[19], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
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

    /// <summary>
    /// Whether the process is the one recorded: same PID, command line and start time. PIDs are reused, and labs of one
    /// topology run the same command lines, so PID and command line alone may name another lab's or test's process.
    /// A start time of 0 is unknown (a state file an older sitewire wrote): then PID and command line decide.
    /// </summary>
    public static bool IsAlive(int pid, string commandLine, ulong startTime) =>
        CommandLine(pid) == commandLine && (startTime == 0 || StartTime(pid) == startTime);

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
