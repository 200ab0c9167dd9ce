using System.Text;
using Sitewire.Config.Diagnostics;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Expected;

/// <summary>
/// Reading the expected-state file the plan writes: the reviewed golden files read back to the same state, and every way a
/// file can be unusable is refused as one diagnostic naming the file, the line and column, and the field.
/// </summary>
public sealed class ExpectedStateFileTests
{
    private const string File = "/etc/wireguard/sitewire-wg0.json";

    private static string Golden(string example, string node, string tunnel) =>
        System.IO.File.ReadAllText(Path.Combine(PlanFixtures.Root, "tests", "Sitewire.Planner.Tests", "Golden", example, node, ExpectedStateFile.FileName(tunnel)));

    private static string Policy => Golden("policy", "relay", "wg0");

    [Theory]
    [InlineData("seed", "office", "wireguard0")]
    [InlineData("policy", "relay", "wg0")]
    [InlineData("policy", "phone", "wg0")]
    [InlineData("overlapping", "home-a", "wg0")]
    [InlineData("docker", "office", "wireguard0")]
    public void A_golden_file_reads_back_to_the_state_it_was_written_from(string example, string node, string tunnel)
    {
        var text = Golden(example, node, tunnel);

        var state = ExpectedStateFile.Parse(Encoding.UTF8.GetBytes(text), File);

        Assert.Equal((ExpectedStateFile.Version, node, tunnel), (state.Version, state.Node, state.Interface));
        Assert.Equal(text, ExpectedStateFile.Write(state));
    }

    [Fact]
    public void The_policy_relay_file_holds_its_flow_policy_and_peers_with_their_planned_public_keys()
    {
        var state = ExpectedStateFile.Parse(Encoding.UTF8.GetBytes(Policy), File);
        var plan = PlanFixtures.Load(PlanFixtures.Example("policy.yaml"));
        var keys = PlanFixtures.TestKeys(plan);

        Assert.Equal(RuleBackend.Iptables, state.Backend);
        Assert.NotNull(state.FlowPolicy);
        Assert.Contains(state.FlowPolicy, rule => rule.Location == "policy.yaml:72:5" && rule.Port == 80);
        Assert.All(state.Peers, peer => Assert.Equal(keys.PublicKey(peer.Name).ToBase64(), peer.PublicKey));
    }

    [Theory]
    [InlineData("seed", "relay", "wireguard0")]
    [InlineData("policy", "home", "wg0")]
    [InlineData("policy", "phone", "wg0")]
    public void No_private_or_preshared_key_is_in_the_file(string example, string node, string tunnel)
    {
        var text = Golden(example, node, tunnel);
        var keys = Directory.GetFiles(Path.Combine(PlanFixtures.Root, "tests", "Sitewire.Planner.Tests", "Golden", example, "keys"))
            .Where(path => path.EndsWith(".key", StringComparison.Ordinal) || path.EndsWith(".psk", StringComparison.Ordinal))
            .Select(path => System.IO.File.ReadAllText(path).Trim())
            .ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.DoesNotContain(key, text, StringComparison.Ordinal));
        Assert.DoesNotContain("private", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("preshared", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Malformed_json_names_the_line_and_column()
    {
        var broken = Policy.Replace("\"node\": \"relay\",", "\"node\": \"relay\"", StringComparison.Ordinal);

        var error = Refused(broken);

        Assert.Equal(File, error.Location.File);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("'\"' is invalid after a value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_version_is_refused_at_its_field()
    {
        var error = Refused(Policy.Replace("\"version\": 1,", "\"version\": 2,", StringComparison.Ordinal));

        Assert.Equal(("version", 2, 14), (error.Field, error.Location.Line, error.Location.Column));
        Assert.Equal("version 2 is not one this sitewire reads: re-plan with this sitewire and install the new file", error.Message);
        Assert.Equal("1", error.Expected);
    }

    [Fact]
    public void A_file_without_a_version_is_refused()
    {
        var error = Refused(Policy.Replace("\"version\": 1,", "", StringComparison.Ordinal));

        Assert.Equal(("version", "missing"), (error.Field, error.Message));
    }

    [Fact]
    public void A_file_for_another_interface_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sitewire-expected-{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(path, Policy);
        try
        {
            var error = Assert.Single(Assert.Throws<DiagnosticsException>(() => ExpectedStateFile.Read(path, "wireguard0")).Diagnostics);

            Assert.Equal((path, "interface"), (error.Location.File, error.Field));
            Assert.Equal("the file describes interface 'wg0' (node relay), not wireguard0", error.Message);
            Assert.Equal("wg0", ExpectedStateFile.Read(path, "wg0").Interface);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        var start = Policy.IndexOf("  \"behindNat\": ", StringComparison.Ordinal);
        var withoutField = Policy.Remove(start, Policy.IndexOf('\n', start) - start + 1);

        var error = Refused(withoutField);

        Assert.Contains("missing required properties including: 'behindNat'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_is_named()
    {
        var error = Refused(Policy.Replace("\"forwards\":", "\"forwarding\":", StringComparison.Ordinal));

        Assert.Contains("'forwarding' could not be mapped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_not_a_prefix_is_named_with_its_path()
    {
        var state = ExpectedStateFile.Parse(Encoding.UTF8.GetBytes(Policy), File);
        var allowed = state.Peers[0].AllowedIps[0].ToString();

        var error = Refused(Policy.Replace($"\"{allowed}\"", "\"10.0.0.300/24\"", StringComparison.Ordinal));

        Assert.Equal("peers[0].allowedIps[0]", error.Field);
        Assert.Equal("'10.0.0.300/24' is not a prefix in CIDR form with no host bits (e.g. 10.0.0.0/24)", error.Message);
    }

    [Fact]
    public void A_null_where_none_may_be_is_refused()
    {
        var error = Refused(Policy.Replace("\"node\": \"relay\"", "\"node\": null", StringComparison.Ordinal));

        Assert.Equal("node", error.Field);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Refused("");

        Assert.Equal(File, error.Location.File);
    }

    private static Diagnostic Refused(string text) =>
        Assert.Single(Assert.Throws<DiagnosticsException>(() => ExpectedStateFile.Parse(Encoding.UTF8.GetBytes(text), File)).Diagnostics);
}
