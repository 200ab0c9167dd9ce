namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// The userspace WireGuard daemons under test, by the short names used in test ids. Both follow the
/// wireguard-go command line: <c>IMPL [-f] IFNAME</c>, UAPI on /var/run/wireguard/IFNAME.sock.
/// </summary>
public static class WireGuardImplementation
{
    public const string Sitewired = "sitewired";
    public const string WireGuardGo = "wireguard-go";

    public static string Executable(string name) => name switch
    {
        Sitewired => RepositoryPaths.Sitewired,
        WireGuardGo => "/usr/bin/wireguard-go",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown WireGuard implementation"),
    };

    /// <summary>Fails with a message that says how to get the executable when it is missing.</summary>
    public static string RequireExecutable(string name)
    {
        var path = Executable(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(name == Sitewired
                ? $"{path} is missing: run ./sitewire build"
                : $"{path} is missing: apt-get install wireguard-go", path);
        }
        return path;
    }
}
