using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// The drop-in contract: wg-quick with WG_QUICK_USERSPACE_IMPLEMENTATION starts the daemon (which detaches),
/// sets addresses and routes; the tunnel carries traffic; wg show reports the handshake and transfer; wg showconf
/// round-trips through wg setconf and wg syncconf; wg-quick down removes the interface and the daemon exits.
/// Node A's own daemon is replaced by one under wg-quick (same key and addresses); B is the peer.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WgQuickTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ImplementationMatrix.UnderTest), MemberType = typeof(ImplementationMatrix))]
    public void Wg_quick_up_and_down_run_the_userspace_daemon_and_wg_tools_work_against_it(string underWgQuick, string peer)
    {
        using var pair = TunnelPair.Create(underWgQuick, peer, IpFamily.V4, output);
        pair.A.Daemon.Stop();
        var executable = WireGuardImplementation.RequireExecutable(underWgQuick);
        var interfaceName = pair.Prefix + "q";
        var configuration = Path.Combine(pair.WorkDirectory, interfaceName + ".conf");
        TunnelPair.WriteSecret(configuration, string.Join('\n',
            "[Interface]",
            $"PrivateKey = {File.ReadAllText(pair.A.PrivateKeyPath).Trim()}",
            "ListenPort = 51830",
            $"Address = {pair.A.InnerV4}/24, {pair.A.InnerV6}/64",
            $"MTU = {TunnelPair.Mtu}",
            "",
            "[Peer]",
            $"PublicKey = {pair.B.PublicKey}",
            $"PresharedKey = {File.ReadAllText(pair.PresharedKeyPath).Trim()}",
            $"AllowedIPs = {pair.B.InnerV4}/32, {pair.B.InnerV6}/128",
            $"Endpoint = {pair.B.Endpoint(IpFamily.V4)}"));
        var log = Path.Combine(pair.WorkDirectory, "wg-quick.log");
        var environment = new Dictionary<string, string>
        {
            ["WG_QUICK_USERSPACE_IMPLEMENTATION"] = executable,
            ["LOG_LEVEL"] = "verbose",
        };
        IReadOnlyList<int> daemons = [];
        try
        {
            var up = WgQuick(pair, "up", configuration, log, environment);
            daemons = DetachedDaemon.FindByInterface(executable, interfaceName);
            Assert.True(up.Succeeded, $"wg-quick up exited {up.ExitCode}\n{ReadLog(log)}");
            Assert.Single(daemons);
            Assert.True(File.Exists(WireGuardDaemon.UapiSocketPath(interfaceName)));
            var addresses = pair.A.Namespace.Exec("ip", "-o", "addr", "show", "dev", interfaceName).EnsureSuccess().StandardOutput;
            Assert.Contains($"{pair.A.InnerV4}/24", addresses, StringComparison.Ordinal);
            Assert.Contains($"{pair.A.InnerV6}/64", addresses, StringComparison.Ordinal);

            Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(15)), $"no ping through the wg-quick tunnel\n{ReadLog(log)}\n{pair.Describe()}");
            Assert.True(pair.A.PingUntilReply(pair.B.InnerV6, TimeSpan.FromSeconds(5)), $"no IPv6 ping through the wg-quick tunnel\n{ReadLog(log)}");
            var show = Wg(pair, "show", interfaceName);
            Assert.Contains("latest handshake:", show, StringComparison.Ordinal);
            Assert.Matches(@"transfer: [\d.]+ \w?i?B received, [\d.]+ \w?i?B sent", show);
            Assert.Contains("listening port: 51830", show, StringComparison.Ordinal);

            var original = Wg(pair, "showconf", interfaceName);
            var saved = Path.Combine(pair.WorkDirectory, "saved.conf");
            TunnelPair.WriteSecret(saved, original);
            Wg(pair, "setconf", interfaceName, saved);
            Assert.Equal(original, Wg(pair, "showconf", interfaceName));
            Wg(pair, "set", interfaceName, "listen-port", "51831", "peer", pair.B.PublicKey, "allowed-ips",
                $"{pair.B.InnerV4}/32,{pair.B.InnerV6}/128,10.99.0.0/16");
            Assert.NotEqual(original, Wg(pair, "showconf", interfaceName));
            Wg(pair, "syncconf", interfaceName, saved);
            Assert.Equal(original, Wg(pair, "showconf", interfaceName));
            Assert.True(pair.A.PingUntilReply(pair.B.InnerV4, TimeSpan.FromSeconds(10)), $"no ping after setconf/syncconf\n{ReadLog(log)}");

            var down = WgQuick(pair, "down", configuration, log, environment);
            Assert.True(down.Succeeded, $"wg-quick down exited {down.ExitCode}\n{ReadLog(log)}");
            Assert.False(pair.A.Namespace.Exec("ip", "link", "show", interfaceName).Succeeded, "the interface is still there after wg-quick down");
            Assert.True(Poll.Until(() => daemons.All(pid => !DetachedDaemon.IsAlive(pid)), TimeSpan.FromSeconds(10)),
                $"the daemon ({string.Join(",", daemons)}) still runs 10 s after wg-quick down\n{ReadLog(log)}");
            Assert.True(Poll.Until(() => !File.Exists(WireGuardDaemon.UapiSocketPath(interfaceName)), TimeSpan.FromSeconds(5)),
                "the UAPI socket is still there after the daemon exited");
        }
        finally
        {
            output.WriteLine(ReadLog(log));
            // By the run's unique interface name as it is now: a PID found earlier may belong to another process by now.
            foreach (var pid in DetachedDaemon.FindByInterface(executable, interfaceName))
            {
                DetachedDaemon.Kill(pid);
            }
            File.Delete(WireGuardDaemon.UapiSocketPath(interfaceName));
        }
    }

    private static CommandResult WgQuick(TunnelPair pair, string verb, string configuration, string log, Dictionary<string, string> environment) =>
        pair.A.Namespace.Exec("sh", ["-c", "exec wg-quick \"$1\" \"$2\" >>\"$3\" 2>&1", "sh", verb, configuration, log], TimeSpan.FromSeconds(30),
            environment: environment);

    private static string Wg(TunnelPair pair, params string[] arguments)
    {
        var result = pair.A.Namespace.Exec("wg", arguments, TimeSpan.FromSeconds(20));
        Assert.True(result.Succeeded, $"`{result.Command}` exited {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput;
    }

    private static string ReadLog(string log) =>
        File.Exists(log) ? "--- wg-quick and daemon output:\n" + File.ReadAllText(log, System.Text.Encoding.UTF8) : "(no wg-quick output)";
}
