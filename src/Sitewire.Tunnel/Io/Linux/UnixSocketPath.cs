using System.Net.Sockets;

namespace Sitewire.Tunnel.Io.Linux;

/// <summary>
/// Claims a path for a listening Unix stream socket the way wireguard-go's UAPIOpen does: bind; when the path
/// is taken, connect to it. A socket that answers belongs to a running daemon and is left alone; a socket that
/// refuses the connection is what a killed daemon left behind, so it is removed and the path bound again.
/// Anything at the path that is not a socket (a file, a directory, a link) is never removed.
/// </summary>
public static class UnixSocketPath
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A socket bound at <paramref name="path"/> (mode 0600) and listening; throws <see cref="IOException"/>
    /// naming the path when another process serves it or something else is there, having changed nothing.
    /// </summary>
    public static Socket Listen(string path, int backlog)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Unix socket paths are implemented for Linux");
        }
        var endPoint = new UnixDomainSocketEndPoint(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (!TryBind(listener, endPoint))
            {
                RemoveStaleSocket(path);
                listener.Bind(endPoint);
            }
            File.SetUnixFileMode(path, OwnerOnly);
            listener.Listen(backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static bool TryBind(Socket listener, UnixDomainSocketEndPoint endPoint)
    {
        try
        {
            listener.Bind(endPoint);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        var type = Interop.FileTypeOf(path);
        if (type is null)
        {
            return;
        }
        if (type != Interop.S_IFSOCK)
        {
            throw new IOException($"{path} exists and is {Describe(type.Value)}, not a socket; nothing was removed");
        }
        if (Answers(path))
        {
            throw new IOException($"{path} is in use: another sitewired (or another program) is serving this socket; nothing was removed");
        }
        File.Delete(path);
    }

    /// <summary>
    /// True when a process listens on the socket. The probe does not block: a Unix stream connect either
    /// completes, is refused (no listener), or would block (a listener whose backlog is full, still alive).
    /// </summary>
    private static bool Answers(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
        catch (SocketException e)
        {
            throw new IOException($"{path}: cannot tell whether a daemon serves this socket ({e.Message}); nothing was removed", e);
        }
    }

    private static string Describe(int type) => type switch
    {
        Interop.S_IFDIR => "a directory",
        Interop.S_IFREG => "a regular file",
        Interop.S_IFLNK => "a symbolic link",
        _ => "a special file",
    };
}
