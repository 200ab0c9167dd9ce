using System.Diagnostics;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Namespaces;

/// <summary>
/// A named Linux network namespace (`ip netns`), removed on dispose together with every process
/// started in it through <see cref="Start"/>. Names must be unique per run: use <see cref="UniquePrefix"/>.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private readonly List<Process> _processes = [];
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>A short prefix unique to this process and moment, for namespace and link names (≤ 6 chars).</summary>
    public static string UniquePrefix() => "s" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..5];

    public static NetworkNamespace Create(string name)
    {
        Shell.Run("ip", "netns", "add", name).EnsureSuccess();
        var ns = new NetworkNamespace(name);
        try
        {
            ns.Exec("ip", "link", "set", "lo", "up").EnsureSuccess();
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>Runs a command inside the namespace and waits for it.</summary>
    public CommandResult Exec(string program, params string[] arguments) => Exec(program, arguments, null);

    public CommandResult Exec(string program, IEnumerable<string> arguments, TimeSpan? timeout, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Shell.Run("ip", ["netns", "exec", Name, program, .. arguments], timeout, standardInput, environment);

    /// <summary>Starts a long-running command inside the namespace; it is killed on dispose.</summary>
    public Process Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", Name, program, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program} in {Name}");
        lock (_processes)
        {
            _processes.Add(process);
        }
        return process;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException)
                {
                }
                process.Dispose();
            }
            _processes.Clear();
        }
        Shell.Run("ip", "netns", "del", Name);
    }
}
