using System.Text.Json;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Cli;

/// <summary>The reporting verbs as users and scripts see them: exit codes, messages, --json, nothing half-written.</summary>
public class PlanVerifyCliTests
{
    private static string Example(string name) => Path.Combine(RepositoryPaths.Examples, name);

    private static CommandResult Sitewire(params string[] arguments) => SitewireCli.Run(arguments);

    [Fact]
    public void Verify_of_the_seed_holds_and_exits_0()
    {
        var result = Sitewire("verify", Example("seed.yaml"));
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("pad -> web:80/tcp", result.StandardOutput);
        Assert.Contains("verify: passed", result.StandardOutput);
    }

    [Fact]
    public void Verify_of_the_broken_seed_names_the_missing_masquerade_and_exits_1()
    {
        var result = Sitewire("verify", Example("seed-broken.yaml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("reply from 172.17.50.1", result.StandardOutput);
        Assert.Contains("masquerade on office:ens33", result.StandardOutput);
        Assert.Contains("iptables -t nat -A POSTROUTING -o ens33 -j MASQUERADE", result.StandardOutput);
    }

    [Fact]
    public void Verify_reports_the_seeds_copy_pasted_address()
    {
        var result = Sitewire("verify", Example("seed-copypaste.yaml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("duplicate-overlay-address", result.StandardOutput);
        Assert.Contains("192.168.200.2", result.StandardOutput);
    }

    [Fact]
    public void Verify_of_a_topology_without_flows_says_that_no_traffic_was_proven()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sitewire-noflows-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, string.Join('\n', File.ReadAllLines(Example("seed.yaml")).TakeWhile(line => !line.StartsWith("flows:", StringComparison.Ordinal))));
        try
        {
            var result = Sitewire("verify", path);

            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            Assert.Contains("flows: none declared, so no traffic was proven", result.StandardOutput);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Trace_from_a_mistyped_name_suggests_the_closest_host_and_exits_2()
    {
        var result = Sitewire("trace", Example("seed.yaml"), "--from", "pda", "--to", "web:80/tcp");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no host or node named 'pda'", result.StandardError);
        Assert.Contains("did you mean 'pad'?", result.StandardError);
    }

    [Fact]
    public void Verify_json_is_machine_readable_and_agrees_with_the_exit_code()
    {
        var result = Sitewire("verify", Example("seed-broken.yaml"), "--json");
        Assert.Equal(1, result.ExitCode);
        JsonContract.AssertValid(result.StandardOutput, "verify");
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.False(document.RootElement.GetProperty("passed").GetBoolean());
        Assert.Contains(document.RootElement.GetProperty("flows").EnumerateArray(),
            flow => !flow.GetProperty("met").GetBoolean() && flow.GetProperty("to").GetString() == "web:80/tcp");
    }

    /// <summary>The published schemas/cli.schema.json against every example's real `verify --json` and a broken flow's `trace --json`.</summary>
    [Theory]
    [InlineData("seed.yaml")]
    [InlineData("seed-broken.yaml")]
    [InlineData("seed-copypaste.yaml")]
    [InlineData("dualstack.yaml")]
    [InlineData("mesh.yaml")]
    [InlineData("roadwarrior.yaml")]
    [InlineData("two-relays.yaml")]
    [InlineData("clients.yaml")]
    [InlineData("docker.yaml")]
    [InlineData("policy.yaml")]
    [InlineData("overlapping.yaml")]
    public void Verify_and_trace_json_match_the_published_schema(string example)
    {
        var verify = Sitewire("verify", Example(example), "--json");
        Assert.True(verify.ExitCode is 0 or 1, verify.StandardOutput + verify.StandardError);
        JsonContract.AssertValid(verify.StandardOutput, "verify");

        using var document = JsonDocument.Parse(verify.StandardOutput);
        var flow = document.RootElement.GetProperty("flows").EnumerateArray().First();
        var trace = Sitewire("trace", Example(example), "--from", flow.GetProperty("from").GetString()!, "--to", flow.GetProperty("to").GetString()!, "--json");
        Assert.True(trace.ExitCode is 0 or 1, trace.StandardOutput + trace.StandardError);
        JsonContract.AssertValid(trace.StandardOutput, "trace");
    }

    [Fact]
    public void Trace_prints_both_directions_hop_by_hop()
    {
        var result = Sitewire("trace", Example("seed.yaml"), "--from", "pad", "--to", "172.17.50.1:80/tcp");
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("forward:", result.StandardOutput);
        Assert.Contains("return:", result.StandardOutput);
        Assert.Contains("masquerade 192.168.3.50 → 172.18.3.16", result.StandardOutput);
    }

    [Fact]
    public void Trace_over_ipv6_resolves_names_to_their_ipv6_addresses_and_json_carries_them()
    {
        var text = Sitewire("trace", Example("dualstack.yaml"), "--from", "pc", "--to", "web:80/tcp", "-6");
        Assert.True(text.ExitCode == 0, text.StandardOutput + text.StandardError);
        Assert.Contains("masquerade fd00:10:20::50 → fd00:10:10::1", text.StandardOutput);

        var json = Sitewire("trace", Example("dualstack.yaml"), "--from", "pc", "--to", "[fd00:10:10::20]:80/tcp", "--json");
        Assert.True(json.ExitCode == 0, json.StandardOutput + json.StandardError);
        JsonContract.AssertValid(json.StandardOutput, "trace");
        using var document = JsonDocument.Parse(json.StandardOutput);
        var forward = document.RootElement.GetProperty("forward").GetProperty("hops").EnumerateArray().ToList();
        Assert.Equal("fd00:10:10::20", forward[^1].GetProperty("destination").GetString());
    }

    [Fact]
    public void Unusable_topology_exits_2_naming_file_line_column_and_plan_writes_nothing()
    {
        using var temp = new TemporaryDirectory();
        var topology = Path.Combine(temp.Path, "bad.yaml");
        File.WriteAllText(topology, "network:\n  overlay: 10.0.0.0/33\n  shape: hub\n");
        var output = Path.Combine(temp.Path, "out");

        var verify = Sitewire("verify", topology);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains($"{topology}:2:12: error: network.overlay", verify.StandardError);

        var plan = Sitewire("plan", topology, "-o", output);
        Assert.Equal(2, plan.ExitCode);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_re_plan_reuses_psk_and_dropping_it_needs_replace_keys()
    {
        using var temp = new TemporaryDirectory();
        var output = Path.Combine(temp.Path, "out");

        var first = Sitewire("plan", Example("seed.yaml"), "-o", output, "--psk").EnsureSuccess();
        var again = Sitewire("plan", Example("seed.yaml"), "-o", output).EnsureSuccess();
        var dropped = Sitewire("plan", Example("seed.yaml"), "-o", output, "--psk", "false");
        var replaced = Sitewire("plan", Example("seed.yaml"), "-o", output, "--psk", "false", "--replace-keys").EnsureSuccess();

        Assert.Contains("plan: new keys for all 3 nodes", first.StandardOutput);
        Assert.Contains("plan: reusing the options this directory was planned with: --keys central --psk", again.StandardOutput);
        Assert.Equal(2, dropped.ExitCode);
        Assert.Contains("--psk: this directory was planned with --psk", dropped.StandardError);
        Assert.Contains("--replace-keys", dropped.StandardError);
        Assert.Contains("plan: reusing the options this directory was planned with: --keys central\n", replaced.StandardOutput);
        Assert.False(Directory.Exists(Path.Combine(output, "keys", "psk")));
    }

    [Fact]
    public void Plan_writes_every_node_config_that_wg_quick_accepts_with_private_keys_0600()
    {
        using var temp = new TemporaryDirectory();
        var output = Path.Combine(temp.Path, "out");
        Sitewire("plan", Example("seed.yaml"), "-o", output).EnsureSuccess();
        foreach (var node in new[] { "relay", "office", "home" })
        {
            var config = Path.Combine(output, node, "wireguard0.conf");
            Assert.True(File.Exists(config), config);
            Assert.True(File.Exists(Path.Combine(output, node, "README.md")));
            var stripped = Shell.Run("wg-quick", "strip", config).EnsureSuccess().StandardOutput;
            Assert.Contains("[Peer]", stripped);
        }
        foreach (var key in Directory.GetFiles(Path.Combine(output, "keys"), "*.key"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
        Assert.True(File.Exists(Path.Combine(output, "topology.md")));
    }
}
