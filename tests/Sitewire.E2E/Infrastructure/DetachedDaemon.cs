using System.Text;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Finds a daemon that detached itself (as under wg-quick) by its interface-name argument, which the tests make
/// unique per run, so that exactly that process — by PID — can be checked and, if left over, stopped.
/// </summary>
public static class DetachedDaemon
{
    public static IReadOnlyList<int> FindByInterface(string executable, string interfaceName)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            string[] arguments;
            try
            {
                arguments = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "cmdline"))).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (arguments.Length >= 2 && arguments[^1] == interfaceName && Path.GetFileName(arguments[0]) == Path.GetFileName(executable))
            {
                found.Add(pid);
            }
        }
        return found;
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    public static void Kill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
