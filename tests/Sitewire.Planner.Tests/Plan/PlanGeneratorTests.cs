using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlanGeneratorTests
{
    [Fact]
    public void A_second_run_on_an_unchanged_topology_changes_no_file()
    {
        using var temporary = new TemporaryDirectory();
        var options = new PlanRequest(PresharedKeys: true, Ansible: true);
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("mesh.yaml"), temporary.Output, options));
        var first = PlanFixtures.Snapshot(temporary.Output);

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("mesh.yaml"), temporary.Output, options));

        PlanFixtures.AssertSameFiles(first, PlanFixtures.Snapshot(temporary.Output));
        Assert.Contains("keys/psk/branch--hq.psk", first.Keys);
    }

    [Fact]
    public void Private_keys_and_configs_are_readable_by_the_owner_only()
    {
        using var temporary = new TemporaryDirectory();

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: true)));

        string[] secret = ["keys/relay.key", "keys/psk/home--relay.psk", "office/wireguard0.conf"];
        foreach (var path in secret)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(temporary.Output, path)));
        }
        Assert.True(File.GetUnixFileMode(Path.Combine(temporary.Output, "keys/relay.pub")).HasFlag(UnixFileMode.OtherRead));
    }

    [Fact]
    public void The_config_carries_the_kept_private_key_and_every_peer_the_matching_public_key()
    {
        using var temporary = new TemporaryDirectory();
        var topology = PlanFixtures.Load(PlanFixtures.Example("seed.yaml"));
        PlanFixtures.SeedKeys(temporary.Output, topology);

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest()));

        var home = File.ReadAllText(Path.Combine(temporary.Output, "home/wireguard0.conf"));
        Assert.Contains($"PrivateKey = {PlanFixtures.TestKey("home").ToBase64()}", home, StringComparison.Ordinal);
        Assert.Contains($"PublicKey = {PlanFixtures.TestKey("relay").PublicKey().ToBase64()}", home, StringComparison.Ordinal);
        Assert.Equal(PlanFixtures.TestKey("relay").PublicKey().ToBase64() + "\n", File.ReadAllText(Path.Combine(temporary.Output, "keys/relay.pub")));
    }

    [Fact]
    public void A_failing_plan_leaves_the_output_directory_untouched()
    {
        using var temporary = new TemporaryDirectory();
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest()));
        var before = PlanFixtures.Snapshot(temporary.Output);

        var keysMissing = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(Keys: KeyMode.NodeLocal, ReplaceKeys: true));
        var broken = Path.Combine(temporary.Path, "broken.yaml");
        File.WriteAllText(broken, File.ReadAllText(PlanFixtures.Example("seed.yaml")).Replace("172.18.3.0/24", "172.18.3.0/33", StringComparison.Ordinal));
        var unusable = PlanGenerator.Generate(broken, temporary.Output, new PlanRequest());

        Assert.Equal(3, keysMissing.Count);
        Assert.All(keysMissing, diagnostic => Assert.EndsWith(".public_key", diagnostic.Field, StringComparison.Ordinal));
        Assert.Contains(unusable, diagnostic => diagnostic.Field == "nodes[1].lan.subnets[0]" && diagnostic.Location.Line > 0);
        PlanFixtures.AssertSameFiles(before, PlanFixtures.Snapshot(temporary.Output));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(temporary.Path).Select(Path.GetFileName).Where(name => name != "broken.yaml"));
    }

    [Fact]
    public void A_directory_that_is_not_plan_output_is_refused_and_left_alone()
    {
        using var temporary = new TemporaryDirectory();
        Directory.CreateDirectory(temporary.Output);
        File.WriteAllText(Path.Combine(temporary.Output, "notes.txt"), "mine");

        var diagnostics = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest());

        Assert.Equal("-o", Assert.Single(diagnostics).Field);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(temporary.Output).Select(Path.GetFileName));
    }

    [Fact]
    public void Node_local_keys_load_the_key_on_the_node_and_write_no_private_key()
    {
        using var temporary = new TemporaryDirectory();
        var yaml = File.ReadAllText(PlanFixtures.Example("seed.yaml"));
        foreach (var name in new[] { "relay", "office", "home" })
        {
            yaml = yaml.Replace($"  - name: {name}", $"  - name: {name}\n    public_key: {PlanFixtures.TestKey(name).PublicKey().ToBase64()}", StringComparison.Ordinal);
        }
        var topology = Path.Combine(temporary.Path, "seed.yaml");
        File.WriteAllText(topology, yaml);

        Assert.Empty(PlanGenerator.Generate(topology, temporary.Output, new PlanRequest(Keys: KeyMode.NodeLocal)));

        var home = File.ReadAllText(Path.Combine(temporary.Output, "home/wireguard0.conf"));
        Assert.DoesNotContain("PrivateKey", home, StringComparison.Ordinal);
        Assert.Contains("PostUp = wg set %i private-key /etc/wireguard/wireguard0.key\n", home, StringComparison.Ordinal);
        Assert.Contains($"PublicKey = {PlanFixtures.TestKey("relay").PublicKey().ToBase64()}", home, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temporary.Output, "keys")));
        Assert.Contains("sitewire genkey", File.ReadAllText(Path.Combine(temporary.Output, "home/README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Road_warrior_clients_get_a_png_and_a_terminal_qr_code()
    {
        using var temporary = new TemporaryDirectory();

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("roadwarrior.yaml"), temporary.Output, new PlanRequest()));

        var png = File.ReadAllBytes(Path.Combine(temporary.Output, "alice-phone/wg0.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var terminal = File.ReadAllText(Path.Combine(temporary.Output, "alice-phone/wg0.qr.txt"));
        Assert.Contains('▀', terminal);
        Assert.False(File.Exists(Path.Combine(temporary.Output, "office/wg0.png")));
    }

    [Fact]
    public void An_output_path_under_a_file_is_a_diagnostic_not_an_exception()
    {
        using var temporary = new TemporaryDirectory();
        var file = Path.Combine(temporary.Path, "file");
        File.WriteAllText(file, "");

        var diagnostics = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), Path.Combine(file, "out"), new PlanRequest());

        Assert.Equal("-o", Assert.Single(diagnostics).Field);
    }

    [Fact]
    public void Dual_stack_hosts_are_told_their_gateway_per_family_and_listed_with_every_address()
    {
        using var temporary = new TemporaryDirectory();

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("dualstack.yaml"), temporary.Output, new PlanRequest()));

        var readme = File.ReadAllText(Path.Combine(temporary.Output, "hq/README.md"));
        Assert.Contains("| web | 10.10.0.20, fd00:10:10::20 | the site node | default gateway 10.10.0.1; IPv6 default gateway fd00:10:10::1 |", readme, StringComparison.Ordinal);
        Assert.Contains("| files | fd00:10:10::30 | the site node | IPv6 default gateway fd00:10:10::1 |", readme, StringComparison.Ordinal);
        Assert.Contains("| web | hq | 10.10.0.20, fd00:10:10::20 |", File.ReadAllText(Path.Combine(temporary.Output, "topology.md")), StringComparison.Ordinal);
    }
}
