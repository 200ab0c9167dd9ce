using System.Net.Sockets;
using System.Runtime.Versioning;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Tunnel.Tests.Uapi;

public sealed class UapiServerTests : IDisposable
{
    private static readonly string PeerHex = new('c', 64);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sitewire-uapi-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeConfigurable _device = new();
    private readonly List<string> _errors = [];

    public UapiServerTests() => SocketPath = Path.Combine(_directory, "swtest0.sock");

    private string SocketPath { get; }

    [Fact]
    public void Serves_many_requests_on_one_connection_and_a_bad_set_changes_nothing()
    {
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        Assert.Equal("errno=0\n\n", client.Request($"set=1\nlisten_port=4000\npublic_key={PeerHex}\nallowed_ip=10.0.0.0/8\n\n"));
        var before = client.Request("get=1\n\n");
        Assert.Equal("errno=-22\n\n", client.Request($"set=1\nlisten_port=5000\npublic_key={PeerHex}\nallowed_ip=10.0.0.0/99\n\n"));
        Assert.Equal("errno=-71\n\n", client.Request("set=1\nnonsense\n\n"));
        var after = client.Request("get=1\n\n");

        Assert.Single(_device.Applied);
        Assert.Equal(before, after);
        Assert.StartsWith("listen_port=4000\npublic_key=", after, StringComparison.Ordinal);
        Assert.EndsWith("allowed_ip=10.0.0.0/8\nerrno=0\n\n", after, StringComparison.Ordinal);
        Assert.Contains(_errors, e => e.Contains("allowed_ip has a prefix length outside 0..32", StringComparison.Ordinal));
    }

    [Fact]
    public void A_device_refusal_answers_its_errno()
    {
        _device.Refusal = new ConfigurationException(Errnos.EADDRINUSE, "UDP port 4000 is in use");
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        Assert.Equal("errno=-98\n\n", client.Request("set=1\nlisten_port=4000\n\n"));
        Assert.Equal("errno=0\n\n", client.Request("get=1\n\n"));
    }

    [Fact]
    public void A_get_with_trailing_text_is_invalid()
    {
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        Assert.Equal("errno=-22\n\n", client.Request("get=1\nlisten_port=1\n"));
    }

    [Fact]
    public void An_unknown_operation_closes_only_that_connection()
    {
        using var server = StartServer();
        using var bad = new UapiTestClient(SocketPath);
        bad.Send("delete=1\n\n");

        Assert.Null(bad.TryReadAnswer());
        using var good = new UapiTestClient(SocketPath);
        Assert.Equal("errno=0\n\n", good.Request("get=1\n\n"));
    }

    [Fact]
    public void A_stalled_connection_does_not_block_others()
    {
        using var server = StartServer();
        using var stalled = new UapiTestClient(SocketPath);
        stalled.Send("set=1\nlisten_port=1\n");
        using var other = new UapiTestClient(SocketPath);

        Assert.Equal("errno=0\n\n", other.Request("get=1\n\n"));

        stalled.Send("\n");
        Assert.Equal("errno=0\n\n", stalled.ReadAnswer());
    }

    [Fact]
    public void An_oversized_request_answers_emsgsize_applies_nothing_and_the_connection_keeps_serving()
    {
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);
        var answer = client.Request($"set=1\npublic_key={PeerHex}\n{KeepaliveLines(UapiServer.MaxRequestBytes + 1000)}\n");

        Assert.Equal("errno=-90\n\n", answer);
        Assert.Empty(_device.Applied);
        Assert.Contains(_errors, e => e.Contains($"request larger than {UapiServer.MaxRequestBytes} bytes", StringComparison.Ordinal));
        Assert.Equal("errno=0\n\n", client.Request("get=1\n\n"));
    }

    [Fact]
    public void An_overlong_line_answers_emsgsize_and_the_connection_keeps_serving()
    {
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        var answer = client.Request($"set=1\nlisten_port=4000\n{new string('a', UapiServer.MaxLineBytes + 1)}\nlisten_port=5000\n\n");

        Assert.Equal("errno=-90\n\n", answer);
        Assert.Empty(_device.Applied);
        Assert.Contains(_errors, e => e.Contains($"line 2 longer than {UapiServer.MaxLineBytes} bytes", StringComparison.Ordinal));
        Assert.Equal("errno=0\n\n", client.Request("set=1\nlisten_port=4000\n\n"));
    }

    [Fact]
    public void An_overlong_operation_line_closes_the_connection_and_the_server_keeps_serving()
    {
        using var server = StartServer();
        using var bad = new UapiTestClient(SocketPath);

        bad.Send(new string('x', 4 * UapiServer.MaxLineBytes) + "\n");

        Assert.Null(bad.TryReadAnswer());
        Assert.Contains(_errors, e => e.EndsWith($"invalid UAPI operation: a line longer than {UapiServer.MaxLineBytes} bytes", StringComparison.Ordinal));
        using var good = new UapiTestClient(SocketPath);
        Assert.Equal("errno=0\n\n", good.Request("get=1\n\n"));
    }

    [Fact]
    public void Requests_being_read_together_beyond_the_shared_budget_answer_enomem()
    {
        using var server = StartServer();
        var body = KeepaliveLines(UapiServer.MaxBufferedBytes / 2 - (1 << 20));
        var small = KeepaliveLines(4 << 20);
        using var first = new UapiTestClient(SocketPath);
        using var second = new UapiTestClient(SocketPath);
        using var third = new UapiTestClient(SocketPath);

        first.Send($"set=1\npublic_key={PeerHex}\n{body}");
        second.Send($"set=1\npublic_key={PeerHex}\n{body}");
        var refused = third.Request($"set=1\npublic_key={PeerHex}\n{small}\n");

        Assert.Equal("errno=-12\n\n", refused);
        Assert.Equal("errno=0\n\n", first.Request("\n"));
        Assert.Equal("errno=0\n\n", second.Request("\n"));
        Assert.Equal("errno=0\n\n", third.Request($"set=1\npublic_key={PeerHex}\n{small}\n"));
        Assert.Equal(3, _device.Applied.Count);
    }

    private static string KeepaliveLines(int bytes)
    {
        const string line = "persistent_keepalive_interval=25\n";
        return string.Concat(Enumerable.Repeat(line, bytes / line.Length));
    }

    [Fact]
    public void Connections_beyond_the_cap_close_the_oldest_and_a_new_client_is_answered()
    {
        using var server = StartServer();
        var stalled = new List<UapiTestClient>();
        try
        {
            for (var i = 0; i < UapiServer.MaxConnections + 16; i++)
            {
                stalled.Add(new UapiTestClient(SocketPath));
                stalled[^1].Send("set=1\nlisten_port=1");
            }

            using var fresh = new UapiTestClient(SocketPath);
            Assert.Equal("errno=0\n\n", fresh.Request("get=1\n\n"));

            foreach (var oldest in stalled.Take(17))
            {
                Assert.True(oldest.ReadsEndOfStream());
            }
            stalled[^1].Send("\n\n");
            Assert.Equal("errno=0\n\n", stalled[^1].ReadAnswer());
        }
        finally
        {
            stalled.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public void Accept_errors_are_logged_and_retried_and_the_server_keeps_serving()
    {
        var failures = 3;
        using var server = StartServer((listener, cancellation) => Interlocked.Decrement(ref failures) >= 0
            ? ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets))
            : listener.AcceptAsync(cancellation));
        using var client = new UapiTestClient(SocketPath);

        Assert.Equal("errno=0\n\n", client.Request("get=1\n\n"));
        Assert.Contains(_errors, e => e.StartsWith("UAPI accept failed: ", StringComparison.Ordinal) && e.EndsWith("; retrying", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("set=1\nlisten_port=4000", "errno=0\n\n", (ushort)4000)]
    [InlineData("set=1\nlisten_port=4000\nlisten_port=4001", "errno=0\n\n", (ushort)4001)]
    [InlineData("set=1\nlisten_port=4000\nlisten_port=x", "errno=-22\n\n", null)]
    [InlineData("set=1\nlisten_port=4000\nnonsense", "errno=-71\n\n", null)]
    public void A_last_line_ended_by_end_of_stream_counts_as_wireguard_go_s_scanner_reads_it(string request, string answer, ushort? port)
    {
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        client.Send(request);
        client.EndSending();

        Assert.Equal(answer, client.ReadAnswer());
        Assert.Equal(port, _device.Applied.SingleOrDefault()?.ListenPort);
    }

    [Theory]
    [InlineData("get=1")]
    [InlineData("get=1\n")]
    [InlineData("set=1")]
    public void An_operation_the_stream_ends_in_is_not_answered(string request)
    {
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        client.Send(request);
        client.EndSending();

        Assert.Null(client.TryReadAnswer());
        Assert.Empty(_errors);
    }

    [Fact]
    public void An_operation_carrying_a_private_key_never_logs_it()
    {
        var key = Sitewire.Crypto.Key.GeneratePrivate().ToHex();
        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);

        client.Send($"private_key={key}\nlisten_port=1\n\n");

        Assert.Null(client.TryReadAnswer());
        var logged = Assert.Single(_errors);
        Assert.Equal("invalid UAPI operation: private_key=(value of 64 bytes withheld)", logged);
        Assert.DoesNotContain(key[..8], logged, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_sent_as_a_line_or_as_a_name_never_reaches_the_log()
    {
        var key = Sitewire.Crypto.Key.GeneratePrivate();
        using var server = StartServer();
        foreach (var line in new[] { key.ToBase64(), key.ToHex() })
        {
            using var client = new UapiTestClient(SocketPath);
            client.Send(line + "\n");
            Assert.Null(client.TryReadAnswer());
        }
        using (var client = new UapiTestClient(SocketPath))
        {
            Assert.Equal("errno=-22\n\n", client.Request($"set=1\n{key.ToBase64()}\n\n"));
        }

        Assert.Equal(
            [
                "invalid UAPI operation: (a name of 43 bytes withheld)=(value of 0 bytes withheld)",
                "invalid UAPI operation: (a name of 64 bytes withheld)",
                "UAPI set refused (errno 22): line 1: (a name of 43 bytes withheld) is not a device key",
            ],
            _errors);
    }

    [Fact]
    public void Control_characters_and_raw_bytes_from_a_client_are_escaped_in_the_log()
    {
        using var server = StartServer();
        using (var client = new UapiTestClient(SocketPath))
        {
            client.SendBytes([.. "\u001b[2J\u0007fake\r"u8, 0xff, 0xfe, (byte)'\n']);
            Assert.Null(client.TryReadAnswer());
        }
        using (var client = new UapiTestClient(SocketPath))
        {
            Assert.Equal("errno=-22\n\n", client.Request("set=1\n\u001b[31mred=1\n\n"));
        }

        Assert.Equal(
            ["invalid UAPI operation: \\x1b[2J\\x07fake\\r\\xff\\xfe", "UAPI set refused (errno 22): line 1: \\x1b[31mred is not a device key"],
            _errors);
        Assert.All(_errors, e => Assert.DoesNotContain(e, c => char.IsControl(c)));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void The_socket_is_private_and_removed_on_dispose()
    {
        using (StartServer())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        }

        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public void Refuses_a_socket_that_a_live_server_owns_and_replaces_a_stale_one()
    {
        using (StartServer())
        {
            var second = new UapiServer(SocketPath, new FakeConfigurable());
            var error = Assert.Throws<IOException>(second.Start);
            Assert.Contains($"{SocketPath} is in use", error.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(SocketPath));
        }
        Sitewire.Host.Processes.Shell.Check("python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", SocketPath);
        Assert.True(File.Exists(SocketPath));

        using var server = StartServer();
        using var client = new UapiTestClient(SocketPath);
        Assert.Equal("errno=0\n\n", client.Request("get=1\n\n"));
    }

    private UapiServer StartServer(Func<Socket, CancellationToken, ValueTask<Socket>>? accept = null)
    {
        var server = new UapiServer(SocketPath, _device, e =>
        {
            lock (_errors)
            {
                _errors.Add(e);
            }
        })
        {
            Accept = accept ?? ((listener, cancellation) => listener.AcceptAsync(cancellation)),
        };
        server.Start();
        return server;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
