using System.Net.Sockets;
using Sitewire.Tunnel.Configuration;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// The UAPI socket file, <c>/var/run/wireguard/&lt;ifname&gt;.sock</c>, as wg and wireguard-go expect it. The
/// directory is shared by every network namespace, so an interface name is unique per machine.
/// </summary>
public static class UapiSocket
{
    public const string DefaultDirectory = "/var/run/wireguard";

    public static string PathFor(string interfaceName, string directory = DefaultDirectory) =>
        Path.Combine(directory, interfaceName + ".sock");

    /// <summary>
    /// Creates the directory (0755), refuses a socket that a live daemon answers on (EADDRINUSE),
    /// removes a stale one, then binds and listens with mode 0600.
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
        if (File.Exists(path))
        {
            if (IsServed(path))
            {
                throw new ConfigurationException(Errnos.EADDRINUSE, $"{path} is in use by a running daemon");
            }
            File.Delete(path);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(64);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static bool IsServed(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
