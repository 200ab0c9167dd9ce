using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sitewire.Crypto;
using Sitewire.Host.Namespaces;
using Sitewire.Host.Processes;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Tunnel.Tests.Uapi;

/// <summary>
/// The published daemon (artifacts/bin/sitewired, built by ./sitewire build) driven by the real wg tool
/// inside a namespace of the test's own, with an interface name unique to the run.
/// </summary>
[Trait("Needs", "root")]
public sealed class SitewiredTests : IDisposable
{
    /// <summary>What a burst of large UAPI requests may leave resident; before D13 ten 15 MB requests left ~870 MiB.</summary>
    private const long MemoryGivenBackBound = 64L << 20;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly string _prefix = NetworkNamespace.UniquePrefix();
    private readonly NetworkNamespace _ns;
    private readonly string _directory = Directory.CreateTempSubdirectory("sitewired-test-").FullName;

    public SitewiredTests()
    {
        _ns = NetworkNamespace.Create(_prefix + "d");
        Interface = _prefix + "w0";
    }

    private string Interface { get; }

    private string SocketPath => UapiSocket.PathFor(Interface);

    private static string Sitewired
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "artifacts", "bin", "sitewired");
                if (File.Exists(Path.Combine(dir.FullName, "Sitewire.slnx")))
                {
                    return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run ./sitewire build");
                }
            }
            throw new InvalidOperationException("Sitewire.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public async Task Wg_configures_it_and_SIGTERM_removes_the_socket()
    {
        var daemon = StartForeground(new Dictionary<string, string> { ["LOG_LEVEL"] = "verbose" });
        await WaitForAsync(() => File.Exists(SocketPath));
        var privateKey = Key.GeneratePrivate();
        var keyFile = Path.Combine(_directory, "private");
        File.WriteAllText(keyFile, privateKey.ToBase64() + "\n");
        var peer = Key.GeneratePrivate().PublicKey().ToBase64();

        Wg("set", Interface, "private-key", keyFile, "listen-port", "51888", "peer", peer,
            "allowed-ips", "10.9.0.0/16,fd09::/64", "endpoint", "127.0.0.1:51999", "persistent-keepalive", "25");
        var show = Wg("show", Interface);
        var configuration = Wg("showconf", Interface);
        var configFile = Path.Combine(_directory, "wg.conf");
        File.WriteAllText(configFile, configuration.Replace("51888", "51889", StringComparison.Ordinal));
        Wg("setconf", Interface, configFile);
        var dump = Wg("show", Interface, "dump");

        Assert.Contains($"public key: {privateKey.PublicKey().ToBase64()}", show, StringComparison.Ordinal);
        Assert.Contains("listening port: 51888", show, StringComparison.Ordinal);
        Assert.Contains($"peer: {peer}", show, StringComparison.Ordinal);
        Assert.Contains("allowed ips: 10.9.0.0/16, fd09::/64", show, StringComparison.Ordinal);
        Assert.Contains("persistent keepalive: every 25 seconds", show, StringComparison.Ordinal);
        Assert.Contains($"PrivateKey = {privateKey.ToBase64()}", configuration, StringComparison.Ordinal);
        Assert.Contains("Endpoint = 127.0.0.1:51999", configuration, StringComparison.Ordinal);
        Assert.StartsWith($"{privateKey.ToBase64()}\t{privateKey.PublicKey().ToBase64()}\t51889\toff\n{peer}\t(none)\t127.0.0.1:51999\t10.9.0.0/16,fd09::/64\t", dump, StringComparison.Ordinal);

        Shell.Check("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(daemon.WaitForExit(Timeout));
        Assert.Equal(0, daemon.ExitCode);
        Assert.False(File.Exists(SocketPath));
        var log = await daemon.StandardError.ReadToEndAsync();
        Assert.Matches($@"^DEBUG: \({Interface}\) \d{{4}}/\d\d/\d\d \d\d:\d\d:\d\d Starting sitewired", log);
        Assert.DoesNotContain(privateKey.ToBase64(), log, StringComparison.Ordinal);
        Assert.DoesNotContain(privateKey.ToHex(), log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_set_answers_an_errno_and_the_daemon_keeps_serving()
    {
        var daemon = StartForeground();
        await WaitForAsync(() => File.Exists(SocketPath));
        using var client = new UapiTestClient(SocketPath);

        Assert.Equal("errno=-22\n\n", client.Request("set=1\nlisten_port=51777\nfwmark=nope\n\n"));
        Assert.Equal("errno=-71\n\n", client.Request("set=1\ngarbage\n\n"));
        var state = client.Request("get=1\n\n");
        Assert.EndsWith("errno=0\n\n", state, StringComparison.Ordinal);
        Assert.DoesNotContain("listen_port=51777", state, StringComparison.Ordinal);
        Assert.False(daemon.HasExited);
        Assert.DoesNotContain("listening port: 51777", Wg("show", Interface), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listen_port_in_use_is_refused_and_the_old_port_keeps_its_socket()
    {
        StartForeground();
        await WaitForAsync(() => File.Exists(SocketPath));
        Wg("set", Interface, "listen-port", "51888");
        using var squatter = NamespaceThread.Run(_ns.Name, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Any, 51889));
            return socket;
        });

        var refused = _ns.Exec("wg", ["set", Interface, "listen-port", "51889"], Timeout);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Address already in use", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal("51888\n", Wg("show", Interface, "listen-port"));
        Assert.Contains("0.0.0.0:51888", _ns.Exec("ss", "-uanp").EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        Wg("set", Interface, "listen-port", "51888");
        Assert.Contains("0.0.0.0:51888", _ns.Exec("ss", "-uanp").EnsureSuccess().StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// The socket is the readiness signal wg and wg-quick go by: everything of the daemon's setup (the device, the
    /// signal handlers, the metrics listeners) is done before it appears. It used to appear first, so a SIGTERM, or a
    /// descriptor limit, right after it could hit a daemon still setting up (killed by the signal's default action, or
    /// aborted by an unhandled EMFILE from the signal registration — the flake of the descriptor-limit test below).
    /// </summary>
    [Fact]
    public void Once_its_socket_exists_a_SIGTERM_finds_it_fully_set_up()
    {
        for (var round = 0; round < 10; round++)
        {
            var daemon = StartForeground();
            var watch = Stopwatch.StartNew();
            while (!File.Exists(SocketPath) && !daemon.HasExited && watch.Elapsed < Timeout)
            {
                Thread.Sleep(1);
            }
            Assert.True(File.Exists(SocketPath), $"round {round}: no socket within {Timeout}");

            Shell.Check("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture));

            Assert.True(daemon.WaitForExit(Timeout), $"round {round}: still running {Timeout} after SIGTERM");
            Assert.Equal(0, daemon.ExitCode);
            Assert.False(File.Exists(SocketPath), $"round {round}: socket left behind");
        }
    }

    [Fact]
    public async Task After_accept_fails_with_emfile_wg_works_again_once_descriptors_are_free()
    {
        var daemon = StartForeground();
        var log = new DaemonLogLines(daemon);
        await WaitForAsync(() => File.Exists(SocketPath));
        var pid = daemon.Id.ToString(CultureInfo.InvariantCulture);
        var limits = File.ReadAllLines($"/proc/{pid}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (soft, hard) = (limits[3], limits[4]);
        var stalled = new List<UapiTestClient>();
        try
        {
            var used = Directory.GetFiles($"/proc/{pid}/fd").Length;
            Shell.Check("prlimit", "--pid", pid, $"--nofile={used}:{hard}");
            for (var i = 0; i < 32 && !log.Contains("UAPI accept failed: "); i++)
            {
                stalled.Add(new UapiTestClient(SocketPath));
            }
            await WaitForAsync(() => log.Contains("UAPI accept failed: "));
        }
        finally
        {
            Shell.Check("prlimit", "--pid", pid, $"--nofile={soft}:{hard}");
            stalled.ForEach(client => client.Dispose());
        }

        Assert.StartsWith($"interface: {Interface}\n", Wg("show", Interface), StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => line.Contains("UAPI accept failed: Too many open files", StringComparison.Ordinal));
        Assert.False(daemon.HasExited);
    }

    [Fact]
    public async Task The_log_holds_no_key_and_no_raw_control_characters_a_client_sent()
    {
        var daemon = StartForeground();
        var log = new DaemonLogLines(daemon);
        await WaitForAsync(() => File.Exists(SocketPath));
        var key = Key.GeneratePrivate().ToHex();

        using (var client = new UapiTestClient(SocketPath))
        {
            client.Send($"private_key={key}\n");
            Assert.Null(client.TryReadAnswer());
        }
        using (var client = new UapiTestClient(SocketPath))
        {
            client.SendBytes([.. "\u001b]0;owned\u0007\u001b[2J"u8, 0xff, (byte)'\n']);
            Assert.Null(client.TryReadAnswer());
        }
        await WaitForAsync(() => log.Contains("invalid UAPI operation: \\x1b]0;owned"));

        Assert.Contains(log.Lines, line => line.EndsWith("invalid UAPI operation: private_key=(value of 64 bytes withheld)", StringComparison.Ordinal));
        Assert.Contains(log.Lines, line => line.EndsWith(@"invalid UAPI operation: \x1b]0;owned\x07\x1b[2J\xff", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, line => Enumerable.Range(0, key.Length - 8).Any(i => line.Contains(key.Substring(i, 8), StringComparison.Ordinal)));
        Assert.DoesNotContain(log.Lines, line => line.Any(char.IsControl));
    }

    [Fact]
    public async Task A_burst_of_large_requests_is_answered_and_the_memory_is_given_back()
    {
        var daemon = StartForeground();
        await WaitForAsync(() => File.Exists(SocketPath));
        var peer = Key.GeneratePrivate().PublicKey().ToHex();
        using (var client = new UapiTestClient(SocketPath))
        {
            Assert.Equal("errno=0\n\n", client.Request($"set=1\npublic_key={peer}\nallowed_ip=10.0.0.0/8\n\n"));
        }
        var idle = ResidentBytes(daemon);
        var line = "allowed_ip=10.0.0.0/8\n";
        var request = $"set=1\npublic_key={peer}\n{string.Concat(Enumerable.Repeat(line, (15 << 20) / line.Length))}\n";

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
        {
            using var client = new UapiTestClient(SocketPath);
            return client.Request(request);
        })));

        Assert.All(answers, answer => Assert.Contains(answer, new[] { "errno=0\n\n", "errno=-12\n\n" }));
        Assert.Contains("errno=0\n\n", answers);
        Assert.StartsWith($"interface: {Interface}\n", Wg("show", Interface), StringComparison.Ordinal);
        var after = ResidentBytes(daemon);
        Assert.True(after < idle + MemoryGivenBackBound, $"RSS {after >> 20} MiB after the burst, {idle >> 20} MiB idle");
    }

    private static long ResidentBytes(Process process) =>
        long.Parse(File.ReadAllLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) << 10;

    [Fact]
    public async Task Detached_it_returns_when_ready_and_exits_when_the_interface_is_deleted()
    {
        var started = _ns.Exec(Sitewired, [Interface], Timeout);

        Assert.Equal(0, started.ExitCode);
        Assert.True(File.Exists(SocketPath));
        Assert.Contains(Interface, _ns.Exec("ip", "link", "show", Interface).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith($"interface: {Interface}\n", Wg("show", Interface), StringComparison.Ordinal);

        _ns.Exec("ip", "link", "del", Interface).EnsureSuccess();

        await WaitForAsync(() => !File.Exists(SocketPath));
    }

    [Fact]
    public async Task A_second_daemon_with_the_same_name_fails_and_the_first_keeps_serving()
    {
        StartForeground();
        await WaitForAsync(() => File.Exists(SocketPath));
        using var other = NetworkNamespace.Create(_prefix + "e");

        var second = other.Exec(Sitewired, ["-f", Interface], Timeout);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("UAPI listen error", second.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(SocketPath));
        Assert.StartsWith($"interface: {Interface}\n", Wg("show", Interface), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detached_it_reports_the_child_s_setup_failure()
    {
        StartForeground();
        await WaitForAsync(() => File.Exists(SocketPath));
        using var other = NetworkNamespace.Create(_prefix + "f");

        var second = other.Exec(Sitewired, [Interface], Timeout);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("UAPI listen error", second.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_the_interface_name_are_escaped_in_the_log()
    {
        var name = "a\u001b[2J" + new string('x', 20);

        var result = _ns.Exec(Sitewired, ["-f", name], Timeout, environment: new Dictionary<string, string> { ["LOG_LEVEL"] = "verbose" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(@"(a\x1b[2Jxxxxxxxxxxxxxxxxxxxx) ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(@"invalid interface name ""a\x1b[2Jxxxxxxxxxxxxxxxxxxxx""", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.StandardError);
    }

    [Fact]
    public void A_bad_test_timing_is_a_usage_error()
    {
        var result = _ns.Exec(Sitewired, ["-f", Interface], Timeout, environment: new Dictionary<string, string> { ["SITEWIRED_TEST_REKEY_AFTER_SECONDS"] = "soon" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SITEWIRED_TEST_REKEY_AFTER_SECONDS=soon", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(SocketPath));
    }

    [Theory]
    [InlineData(new string[0], 2)]
    [InlineData(new[] { "-f" }, 2)]
    [InlineData(new[] { "-x", "wg0" }, 2)]
    [InlineData(new[] { "-f", "wg0", "extra" }, 2)]
    [InlineData(new[] { "--version" }, 0)]
    public void The_command_line_is_wireguard_go_s(string[] arguments, int exitCode)
    {
        var result = Shell.Run(Sitewired, arguments);

        Assert.Equal(exitCode, result.ExitCode);
        if (exitCode == 0)
        {
            Assert.StartsWith("sitewired v", result.StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("Usage: sitewired [-f/--foreground] INTERFACE-NAME", result.StandardError, StringComparison.Ordinal);
        }
    }

    private Process StartForeground(IReadOnlyDictionary<string, string>? environment = null) =>
        _ns.Start(Sitewired, ["-f", Interface], environment);

    private string Wg(params string[] arguments) =>
        _ns.Exec("wg", arguments, Timeout).EnsureSuccess().StandardOutput;

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException("condition not met within " + Timeout);
            }
            await Task.Delay(50);
        }
    }

    /// <summary>A daemon's UDP socket keeps its namespace alive, so a detached daemon is stopped by deleting its interface.</summary>
    public void Dispose()
    {
        _ns.Exec("ip", "link", "del", Interface);
        _ns.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
