using System.Net.Sockets;
using System.Runtime.Versioning;
using Sitewire.Tunnel.Io.Linux;

namespace Sitewire.Tunnel.Tests.Io;

/// <summary>Claiming a Unix socket path on temp paths: free, live, stale (a killed daemon's), and not a socket.</summary>
[SupportedOSPlatform("linux")]
public sealed class UnixSocketPathTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitewire-usp-").FullName;

    private string SocketPath => Path.Combine(_directory, "test.sock");

    [Fact]
    public void A_free_path_is_bound_private_and_accepts_connections()
    {
        using var listener = UnixSocketPath.Listen(SocketPath, 4);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.True(Connects(SocketPath));
    }

    [Fact]
    public async Task A_client_that_finds_the_path_always_reaches_a_listener()
    {
        var refused = 0;
        for (var round = 0; round < 50; round++)
        {
            using var watching = new CancellationTokenSource();
            var watcher = Task.Factory.StartNew(() =>
            {
                while (!watching.IsCancellationRequested)
                {
                    if (File.Exists(SocketPath))
                    {
                        if (!Connects(SocketPath))
                        {
                            Interlocked.Increment(ref refused);
                        }
                        return;
                    }
                }
            }, TaskCreationOptions.LongRunning);
            var listener = UnixSocketPath.Listen(SocketPath, 4);
            watching.Cancel();
            await watcher;
            listener.Dispose();
            File.Delete(SocketPath);
        }

        Assert.Equal(0, refused);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_live_socket_is_refused_by_path_and_keeps_serving()
    {
        using var live = UnixSocketPath.Listen(SocketPath, 4);

        var error = Assert.Throws<IOException>(() => UnixSocketPath.Listen(SocketPath, 4));

        Assert.Contains($"{SocketPath} is in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("another sitewired", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was removed", error.Message, StringComparison.Ordinal);
        Assert.True(Connects(SocketPath));
    }

    [Fact]
    public void A_live_socket_with_a_full_backlog_is_refused_without_blocking()
    {
        using var live = UnixSocketPath.Listen(SocketPath, 0);
        var waiting = new List<Socket>();
        try
        {
            var full = false;
            for (var i = 0; i < 16 && !full; i++)
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
                waiting.Add(client);
                full = !TryConnect(client, SocketPath);
            }
            Assert.True(full, "the listener's backlog did not fill");

            var error = Assert.Throws<IOException>(() => UnixSocketPath.Listen(SocketPath, 4));

            Assert.Contains("is in use", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            waiting.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public void A_stale_socket_left_by_a_killed_process_is_replaced()
    {
        CreateStaleSocket(SocketPath);
        Assert.False(Connects(SocketPath));

        using var listener = UnixSocketPath.Listen(SocketPath, 4);

        Assert.True(Connects(SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
    }

    [Fact]
    public void A_regular_file_is_refused_and_kept()
    {
        File.WriteAllText(SocketPath, "not a socket");

        var error = Assert.Throws<IOException>(() => UnixSocketPath.Listen(SocketPath, 4));

        Assert.Equal($"{SocketPath} exists and is a regular file, not a socket; nothing was removed", error.Message);
        Assert.Equal("not a socket", File.ReadAllText(SocketPath));
    }

    [Fact]
    public void A_directory_is_refused_and_kept()
    {
        Directory.CreateDirectory(Path.Combine(SocketPath, "inside"));

        var error = Assert.Throws<IOException>(() => UnixSocketPath.Listen(SocketPath, 4));

        Assert.Equal($"{SocketPath} exists and is a directory, not a socket; nothing was removed", error.Message);
        Assert.True(Directory.Exists(Path.Combine(SocketPath, "inside")));
    }

    [Fact]
    public void A_symbolic_link_to_a_stale_socket_is_refused_and_neither_is_removed()
    {
        var target = Path.Combine(_directory, "target.sock");
        CreateStaleSocket(target);
        File.CreateSymbolicLink(SocketPath, target);

        var error = Assert.Throws<IOException>(() => UnixSocketPath.Listen(SocketPath, 4));

        Assert.Equal($"{SocketPath} exists and is a symbolic link, not a socket; nothing was removed", error.Message);
        Assert.Equal(target, new FileInfo(SocketPath).LinkTarget);
        Assert.True(File.Exists(target));
    }

    /// <summary>
    /// What a killed daemon leaves: the socket file of a listener whose process has gone. (A .NET socket would
    /// remove its file when disposed, so another process binds, listens and exits.)
    /// </summary>
    private static void CreateStaleSocket(string path) =>
        Sitewire.Host.Processes.Shell.Check("python3", "-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)", path);

    /// <summary>False when a non-blocking connect would block: the listener's backlog is full.</summary>
    private static bool TryConnect(Socket client, string path)
    {
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return false;
        }
    }

    private static bool Connects(string path)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
