using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>The seed's section 3: the office node forwards into its LAN without masquerade, and its config copies home's Address.</summary>
public class SeedBrokenVerifyTests
{
    private static string SeedText => File.ReadAllText(TopologyFixtures.Example("seed.yaml"));

    private static string WithoutOfficeMasquerade(string nat) => ReplaceOnce(SeedText, "        via: 172.18.3.1\n    nat: masquerade", $"        via: 172.18.3.1\n    nat: {nat}");

    private static string ReplaceOnce(string text, string old, string replacement)
    {
        var index = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{old}' not in the seed example");
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + old.Length));
    }

    [Theory]
    [InlineData("routed")]
    [InlineData("none")]
    public void Reply_from_the_service_has_no_route_and_office_masquerade_on_ens33_fixes_it(string nat)
    {
        var report = TopologyFixtures.VerifyText(WithoutOfficeMasquerade(nat));

        var web = report.Flows.Single(f => f.Flow.From == "pad" && f.Flow.To.Name == "web");
        Assert.False(web.Met);
        Assert.True(web.Trace!.Forward.Arrived);
        Assert.Equal("return", web.Trace.BrokenDirection);
        Assert.Contains("reply from 172.17.50.1 to 192.168.3.50", web.Problem, StringComparison.Ordinal);
        Assert.Contains("no route", web.Problem, StringComparison.Ordinal);
        Assert.StartsWith("add masquerade on office:ens33", web.Fix, StringComparison.Ordinal);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Copy_pasted_overlay_address_is_reported_on_the_office_node()
    {
        var text = ReplaceOnce(SeedText, "    address: 192.168.200.1\n", "    address: 192.168.200.2\n");

        var report = TopologyFixtures.VerifyText(text);

        var duplicate = Assert.Single(report.Findings, f => f.Code == "duplicate-overlay-address");
        Assert.Equal(Severity.Error, duplicate.Severity);
        Assert.Equal("home", duplicate.Node);
        Assert.Equal("nodes[2].address", duplicate.Field);
        Assert.Contains("192.168.200.2, as office does", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_shows_the_request_leaving_office_into_its_lan_with_the_home_source_kept()
    {
        var report = TopologyFixtures.VerifyText(WithoutOfficeMasquerade("routed"));

        var forward = report.Flows.Single(f => f.Flow.From == "pad" && f.Flow.To.Name == "web").ForwardHops;
        var office = Assert.Single(forward, h => h.Host == "office");
        Assert.Equal("ens33", office.OutInterface);
        Assert.Equal("192.168.3.50", office.Packet.Source.ToString());
    }
}
