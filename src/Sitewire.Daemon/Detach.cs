using System.Diagnostics;

namespace Sitewire.Daemon;

/// <summary>
/// Daemonizing without fork: the parent re-executes itself with <see cref="ChildVariable"/> set and waits
/// until the child reports <see cref="ReadyLine"/> on its stdout pipe (interface created, UAPI socket
/// listening), then exits 0; if the child exits first, the parent exits with the child's code. The child
/// starts a new session and, once ready, points stdin/stdout (and stderr unless it logs) at /dev/null.
/// </summary>
internal static class Detach
{
    public const string ChildVariable = "SITEWIRED_DETACHED_CHILD";
    public const string ReadyLine = "ready";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static bool IsChild => Environment.GetEnvironmentVariable(ChildVariable) == "1";

    /// <summary>Starts the detached child and returns the exit code for the parent.</summary>
    public static int RunParent(DaemonArguments arguments, DaemonLog log)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sitewired.dll"));
        }
        start.ArgumentList.Add(arguments.InterfaceName);
        start.Environment[ChildVariable] = "1";
        using var child = Process.Start(start);
        if (child is null)
        {
            log.Error("Failed to daemonize: the child process did not start");
            return ExitCodes.SetupFailed;
        }
        var ready = child.StandardOutput.ReadLineAsync();
        if (!ready.Wait(ReadyTimeout))
        {
            log.Error($"Failed to daemonize: the child was not ready after {ReadyTimeout.TotalSeconds:0} s");
            child.Kill();
            return ExitCodes.SetupFailed;
        }
        if (ready.Result == ReadyLine)
        {
            return ExitCodes.Success;
        }
        child.WaitForExit();
        return child.ExitCode == 0 ? ExitCodes.SetupFailed : child.ExitCode;
    }

    /// <summary>In the child, before setting up: leave the parent's session.</summary>
    public static void StartSession() => Interop.SetSid();

    /// <summary>
    /// In the child, once ready: tell the parent, then point stdin, stdout (and stderr unless it logs) at
    /// /dev/null, together with every duplicate the runtime made of them at start-up, so that nothing
    /// keeps the starter's pipes open.
    /// </summary>
    public static void ReportReady(bool keepStandardError)
    {
        Interop.WriteAll(Interop.StandardOutput, System.Text.Encoding.ASCII.GetBytes(ReadyLine + "\n"));
        var devNull = Interop.Open("/dev/null", Interop.O_RDWR);
        if (devNull < 0)
        {
            return;
        }
        var detached = new HashSet<string>(StringComparer.Ordinal) { Target(0), Target(1) };
        if (!keepStandardError)
        {
            detached.Add(Target(2));
        }
        foreach (var entry in Directory.GetFiles("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd != devNull && detached.Contains(Target(fd)))
            {
                Interop.Dup2(devNull, fd);
            }
        }
        Interop.Close(devNull);
    }

    private static string Target(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
