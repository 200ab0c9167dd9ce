using System.Net.Sockets;

namespace Sitewire.Tunnel.Io.Linux;

/// <summary>
/// Claims a path for a listening Unix stream socket the way wireguard-go's UAPIOpen does: a socket that answers
/// belongs to a running daemon and is left alone; a socket that refuses the connection is what a killed daemon left
/// behind, and is replaced. Anything at the path that is not a socket (a file, a directory, a link) is never touched.
/// The socket is bound under a temporary name beside the path and renamed onto it once it is private and listening:
/// a client that finds the path always reaches a listener (`wg` deletes a socket that refuses it as stale).
/// </summary>
public static class UnixSocketPath
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A socket listening at <paramref name="path"/> (mode 0600); throws <see cref="IOException"/> naming the path
    /// when another process serves it or something else is there, having changed nothing.
    /// </summary>
    public static Socket Listen(string path, int backlog)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Unix socket paths are implemented for Linux");
        }
        EnsureReplaceable(path);
        var staging = $"{path}.{Environment.ProcessId}";
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(staging);
            listener.Bind(new UnixDomainSocketEndPoint(staging));
            File.SetUnixFileMode(staging, OwnerOnly);
            listener.Listen(backlog);
            File.Move(staging, path, overwrite: true);
            return listener;
        }
        catch
        {
            listener.Dispose();
            File.Delete(staging);
            throw;
        }
    }

    /// <summary>Nothing at the path, or a socket nobody answers on; otherwise an <see cref="IOException"/>.</summary>
    private static void EnsureReplaceable(string path)
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
