using System.Net.Sockets;
using System.Text;
using Sitewire.Crypto;
using Sitewire.E2E.Infrastructure;
using Sitewire.Tunnel.Tests.Uapi;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Sitewire.E2E.Engine;

/// <summary>
/// The suite-wide key check (<see cref="SecretWatch"/>) can fail: it finds a key in base64 and in hex, in outputs seen
/// before or after the key was registered, in the real outputs that do carry keys (`wg show dump`, a UAPI get). And a
/// live sitewired, handed a key the ways a confused client would (as its operation line, as a line of a set), logs
/// none of it: the pair's own watch, fed by the daemon's log, stays clean.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SecretLeakTests(ITestOutputHelper output)
{
    [Fact]
    public void A_key_in_an_output_is_found_in_either_encoding_whichever_came_first()
    {
        var key = Key.GeneratePrivate();
        var watch = new SecretWatch();
        watch.Observe("early output", $"peer private_key={key.ToHex()}");
        watch.Register(key.ToBase64(), "test key");
        watch.Observe("late output", $"PrivateKey = {key.ToBase64()}");
        watch.Observe("clean output", $"public key: {key.PublicKey().ToBase64()}");

        var failure = Assert.Throws<TrueException>(watch.AssertNoLeaks);
        Assert.Contains("early output: the key from test key (hex)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("late output: the key from test key (base64)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("clean output", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.ToBase64(), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.ToHex(), failure.Message, StringComparison.Ordinal);
        watch.AssertNoLeaks();
    }

    [Fact]
    public void Keys_harvested_from_a_directory_are_found_in_the_outputs_that_carry_them()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.Sitewired, WireGuardImplementation.Sitewired, IpFamily.V4, output);
        Assert.True(pair.Handshake(), pair.Describe());
        var watch = new SecretWatch();
        watch.Harvest(pair.WorkDirectory, "the pair's directory");
        watch.Observe("wg show dump", pair.B.Daemon.Wg("show", pair.B.InterfaceName, "dump"));
        watch.Observe("UAPI get", UapiGet(pair.B.Daemon.SocketPath));

        var failure = Assert.Throws<TrueException>(watch.AssertNoLeaks);
        Assert.Contains("wg show dump: the key from the pair's directory: b.key (base64)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("wg show dump: the key from the pair's directory: pair.psk (base64)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("UAPI get: the key from the pair's directory: b.key (hex)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("UAPI get: the key from the pair's directory: pair.psk (hex)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_a_client_sends_sitewired_as_a_line_is_not_logged()
    {
        using var pair = TunnelPair.Create(WireGuardImplementation.WireGuardGo, WireGuardImplementation.Sitewired, IpFamily.V4, output,
            MetricsScrape.Environment);
        Assert.True(pair.Handshake(), pair.Describe());
        var privateKey = File.ReadAllText(pair.B.PrivateKeyPath).Trim();
        var presharedKey = File.ReadAllText(pair.PresharedKeyPath).Trim();
        var hex = Convert.ToHexStringLower(Convert.FromBase64String(privateKey));
        foreach (var line in new[] { privateKey, hex, presharedKey, $"set=1\n{privateKey}\n", $"set=1\nprivate_key={hex}x\n", $"set=1\n{hex}=1\n" })
        {
            using var connection = new UapiTestClient(pair.B.Daemon.SocketPath);
            Assert.True(connection.TrySend(line + "\n"));
            var answer = connection.ReadErrnoOrClosed();
            Assert.True(answer is null or "errno=-22" or "errno=-71", $"sending a key as a line was answered {answer}");
        }
        MetricsScrape.Fetch(pair.B);
        Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(5)), pair.Describe());
        Assert.True(Poll.Until(() => pair.B.Daemon.Describe().Contains("bytes withheld) is not a device key", StringComparison.Ordinal), TimeSpan.FromSeconds(5)),
            $"sitewired did not log the refused set\n{pair.Describe()}");
        SecretWatch.Suite.AssertNoLeaks();
    }

    private static string UapiGet(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 10_000 };
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send("get=1\n\n"u8);
        var text = new StringBuilder();
        var buffer = new byte[65536];
        while (!text.ToString().Contains("errno=", StringComparison.Ordinal) || !text.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            var read = socket.Receive(buffer);
            Assert.True(read > 0, "the UAPI get ended without an errno");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString();
    }
}
