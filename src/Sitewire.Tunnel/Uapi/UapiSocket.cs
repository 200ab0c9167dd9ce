using System.Net.Sockets;
using Sitewire.Tunnel.Io.Linux;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// The UAPI socket file, <c>/var/run/wireguard/&lt;ifname&gt;.sock</c>, as wg and wireguard-go expect it. The
/// directory is shared by every network namespace, so an interface name is unique per machine.
/// </summary>
public static class UapiSocket
{
    public const string DefaultDirectory = "/var/run/wireguard";

    private const int Backlog = 64;

    public static string PathFor(string interfaceName, string directory = DefaultDirectory) =>
        Path.Combine(directory, interfaceName + ".sock");

    /// <summary>
    /// Creates the directory (0755), then claims the path (see <see cref="UnixSocketPath.Listen"/>): a socket a
    /// live daemon answers on is refused, a stale one replaced; the socket is bound with mode 0600.
    /// </summary>
    public static Socket Listen(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the UAPI socket is implemented for Linux");
        }
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return UnixSocketPath.Listen(path, Backlog);
    }
}
