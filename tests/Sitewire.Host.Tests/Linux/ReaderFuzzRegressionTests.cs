using Sitewire.Netfilter;
using Sitewire.Host.Linux;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Tests.Linux;

/// <summary>
/// Inputs the fuzz targets (tests/Sitewire.Fuzz, docs/fuzzing.md) found crashing the readers the doctor uses, kept as
/// found (Recorded/fuzz/) and cut down to their cause: each is now the reader's FormatException, naming where.
/// </summary>
public class ReaderFuzzRegressionTests
{
    [Theory]
    [InlineData("nft-json-not-json", "is not JSON")]
    [InlineData("nft-json-chain-without-name", "nftables[2].chain is not an object with the text \"name\"")]
    [InlineData("nft-json-rule-field-missing", "nftables[5].rule.e")]
    [InlineData("nft-json-prefix-without-len", ".right.prefix is not an object with \"len\"")]
    [InlineData("nft-json-meta-without-key", ".left.meta is not an object with the text \"key\"")]
    [InlineData("nft-json-number-for-text", "is not text")]
    public void Nft_json_inputs_the_fuzzer_found_are_format_errors(string file, string message)
    {
        var exception = Assert.Throws<FormatException>(() => IptablesNftTables.Read(Recorded.Read("fuzz/" + file), _ => null));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.StartsWith("`nft -j list ruleset`", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is not JSON")]
    [InlineData("[]", "the top level is not an object with an \"nftables\" array")]
    [InlineData("""{"nftables": {}}""", "the top level is not an object with an \"nftables\" array")]
    [InlineData("""{"nftables": [{"chain": {"family": "ip", "table": "filter"}}]}""", "nftables[0].chain is not an object with the text \"name\"")]
    [InlineData("""{"nftables": [{"chain": {"family": "ip", "table": "filter", "name": 7}}]}""", "nftables[0].chain.name is not text")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "filter", "chain": "FORWARD"}}]}""", "nftables[0].rule is not an object with \"expr\"")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "expr": [{}]}}]}""", "nftables[0].rule.expr[0] is not an object naming one expression")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "expr": [{"jump": {}}]}}]}""", "nftables[0].rule.expr[0].jump is not an object with the text \"target\"")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "nat", "chain": "POSTROUTING", "expr": [{"match": {"op": "==", "left": {"meta": {"key": 5}}, "right": "eth0"}}]}}]}""", "nftables[0].rule.expr[0].match.left.meta.key is not text")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "nat", "chain": "POSTROUTING", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": "24"}}}}]}}]}""", "nftables[0].rule.expr[0].match.right.prefix.len is not a prefix length")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "nat", "chain": "POSTROUTING", "expr": [{"accept": null}]}}, {"rule": {"table": "nat"}}]}""", "nftables[1].rule is not an object with \"expr\"")]
    public void Nft_json_that_lacks_what_the_doctor_reads_is_a_format_error_naming_where(string json, string message)
    {
        var exception = Assert.Throws<FormatException>(() => NftJson.Parse(json));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nft_json_items_and_expressions_it_does_not_know_are_still_skipped()
    {
        var ruleset = NftJson.Parse("""{"nftables": [1, "x", {"metainfo": {}}, {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "expr": [{"quota": {}}, {"accept": null}]}}]}""");

        var rule = Assert.Single(ruleset.Rules);
        Assert.Equal("accept", rule.Verdict);
        Assert.True(rule.HasUnknownMatch);
    }

    [Theory]
    [InlineData(":INPUT\n", "iptables-save line 1: a chain line without a name and a policy")]
    [InlineData("*filter\n:\n", "iptables-save line 2: a chain line without a name and a policy")]
    [InlineData("*filter\n-A \"\"\n", "iptables-save line 2: -A without a chain")]
    public void Iptables_save_lines_the_fuzzer_found_are_format_errors(string text, string message)
    {
        var exception = Assert.Throws<FormatException>(() => IptablesSave.Parse(text));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_iptables_save_input_the_fuzzer_found_is_a_format_error()
    {
        var exception = Assert.Throws<FormatException>(() => IptablesSave.Parse(Recorded.Read("fuzz/iptables-save-chain-without-policy")));
        Assert.Contains("a chain line without a name and a policy", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public", "public zone\n  interfaces: wg0\n", "", "public")]
    [InlineData("public zone", "", "", null)]
    [InlineData("\u001b[31mpublic", "", "", null)]
    [InlineData("", "", "", null)]
    [InlineData("public", "public$(reboot)\n  interfaces: wg0\n", "", null)]
    [InlineData("public", "public\n  interfaces: wg0\n", "p\n  target: ACCEPT\n  ingress-zones: a;b\n", null)]
    public void Firewalld_zone_names_are_checked_before_the_doctor_puts_them_in_a_command(string defaultZone, string zones, string policies, string? zone)
    {
        var answers = new Dictionary<string, CommandResult>
        {
            ["--state"] = new("firewall-cmd --state", 0, "running\n", ""),
            ["--get-default-zone"] = new("firewall-cmd --get-default-zone", 0, defaultZone + "\n", ""),
            ["--list-all-zones"] = new("firewall-cmd --list-all-zones", 0, zones, ""),
            ["--list-all-policies"] = new("firewall-cmd --list-all-policies", 0, policies, ""),
        };

        if (zone is null)
        {
            var exception = Assert.Throws<FormatException>(() => FirewalldReader.Read(arguments => answers[arguments[0]]));
            Assert.Matches("^`firewall-cmd --[a-z-]+` printed .*, not a firewalld zone or service name$", exception.Message);
            Assert.DoesNotContain('\u001b', exception.Message);
        }
        else
        {
            var state = FirewalldReader.Read(arguments => answers[arguments[0]]);
            Assert.NotNull(state);
            Assert.Equal(zone, state.ZoneOf("wg0"));
        }
    }

    [Fact]
    public void Firewalld_that_does_not_run_reads_as_null()
    {
        Assert.Null(FirewalldReader.Read(arguments => new CommandResult("firewall-cmd", 252, "not running\n", "")));
    }
}
