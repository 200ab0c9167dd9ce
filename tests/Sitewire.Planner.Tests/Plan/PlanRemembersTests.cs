using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>
/// Issue 18 item 5: a plan directory remembers the options that shape its keys, a re-plan reuses them, a change that
/// would delete or replace kept keys needs --replace-keys, and a new -o can keep an earlier plan's keys.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlanRemembersTests
{
    [Fact]
    public void A_re_plan_without_options_reuses_psk_and_central_keys_and_changes_no_file()
    {
        using var temporary = new TemporaryDirectory();
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: true, Ansible: true)));
        var first = PlanFixtures.Snapshot(temporary.Output);
        var notes = new List<string>();

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(), notes.Add));

        PlanFixtures.AssertSameFiles(first, PlanFixtures.Snapshot(temporary.Output));
        Assert.Contains("keys/psk/home--relay.psk", first.Keys);
        Assert.Equal(["reusing the options this directory was planned with: --keys central --psk --ansible"], notes);
    }

    [Theory]
    [InlineData(null, false, "--psk", "without it plan would delete every link's preshared key")]
    [InlineData(KeyMode.NodeLocal, true, "--keys", "--keys node-local would delete every node's private key")]
    public void A_change_that_would_lose_kept_keys_is_refused_and_changes_nothing(KeyMode? keys, bool psk, string field, string message)
    {
        using var temporary = new TemporaryDirectory();
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: true)));
        var before = PlanFixtures.Snapshot(temporary.Output);

        var refused = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(keys, psk));

        var diagnostic = Assert.Single(refused);
        Assert.Equal(field, diagnostic.Field);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("--replace-keys", diagnostic.Expected, StringComparison.Ordinal);
        PlanFixtures.AssertSameFiles(before, PlanFixtures.Snapshot(temporary.Output));
    }

    [Fact]
    public void With_replace_keys_the_preshared_keys_go()
    {
        using var temporary = new TemporaryDirectory();
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: true)));
        var before = PlanFixtures.Snapshot(temporary.Output);

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: false, ReplaceKeys: true)));

        var after = PlanFixtures.Snapshot(temporary.Output);
        Assert.DoesNotContain(after.Keys, path => path.StartsWith("keys/psk/", StringComparison.Ordinal));
        Assert.Equal(before["keys/home.key"], after["keys/home.key"]);
    }

    [Fact]
    public void A_plan_directory_written_before_options_were_kept_tells_them_by_its_key_files()
    {
        using var temporary = new TemporaryDirectory();
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: true)));
        File.WriteAllText(Path.Combine(temporary.Output, PlanOutputBuilder.MarkerFile), "Output of `sitewire plan`; plan replaces this directory as a whole.\n");

        var refused = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: false));

        Assert.Equal("--psk", Assert.Single(refused).Field);
        Assert.Equal(new PlanOptions(KeyMode.Central, PresharedKeys: true), PlanSettings.Read(temporary.Output));
    }

    [Fact]
    public void A_new_output_directory_says_it_made_new_keys_or_keeps_those_of_keys_from()
    {
        using var temporary = new TemporaryDirectory();
        var notes = new List<string>();
        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(PresharedKeys: true), notes.Add));
        var second = Path.Combine(temporary.Path, "second");

        Assert.Empty(PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), second, new PlanRequest(PresharedKeys: true, KeysFrom: temporary.Output), notes.Add));

        Assert.Equal(["new keys for all 3 nodes (a new output directory; to keep the keys of an earlier plan, use --keys-from DIR)"], notes);
        var (first, kept) = (PlanFixtures.Snapshot(temporary.Output), PlanFixtures.Snapshot(second));
        foreach (var path in first.Keys.Where(path => path.StartsWith("keys/", StringComparison.Ordinal)))
        {
            Assert.Equal(first[path], kept[path]);
        }
    }

    [Fact]
    public void Keys_from_a_directory_that_is_no_plan_output_is_refused()
    {
        using var temporary = new TemporaryDirectory();

        var refused = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), temporary.Output, new PlanRequest(KeysFrom: temporary.Path));

        Assert.Equal("--keys-from", Assert.Single(refused).Field);
        Assert.False(Directory.Exists(temporary.Output));
    }
}
