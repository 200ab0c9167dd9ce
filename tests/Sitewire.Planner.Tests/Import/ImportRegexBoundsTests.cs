using System.Diagnostics;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Xunit.Abstractions;

namespace Sitewire.Planner.Tests.Import;

/// <summary>
/// Import once read PostUp lines with a regex, and a backtracking engine took 93 s of CPU on one 1 MB line of '-o eth0'
/// without MASQUERADE; the hook reader that replaced it goes through a line once. The time is only reported.
/// </summary>
public sealed class ImportRegexBoundsTests(ITestOutputHelper output)
{
    private const string Config = "[Interface]\nAddress = 10.9.0.1/24\nPrivateKey = KDC5YQ0aNARn4uqU4BjUf2nVt9Xhe3OtOLDQFKydVV0=\n";

    private static ImportedNode ImportWithPostUp(string postUp)
    {
        var parsed = WgQuickParser.Parse(Config, "site.conf");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var config = parsed.Config with { Interface = parsed.Config.Interface with { PostUp = [postUp] } };
        return Assert.Single(ConfigImporter.Import([("site.conf", config)]).Nodes);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(" ; iptables -t nat -A POSTROUTING -o ens33 -j MASQUERADE", "ens33")]
    public void A_megabyte_postup_line_is_read_to_its_end(string tail, string? expectedInterface)
    {
        var postUp = string.Concat(Enumerable.Repeat("-o eth0 ", 131_072)) + tail;
        var clock = Stopwatch.StartNew();

        var node = ImportWithPostUp(postUp);

        output.WriteLine($"import of a {postUp.Length}-character PostUp line: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(expectedInterface, node.LanInterface);
    }

    [Theory]
    [InlineData("iptables -t nat -A POSTROUTING -o ens33 -j MASQUERADE", "ens33")]
    [InlineData("nft add rule ip nat postrouting oifname \"eth1\" masquerade", "eth1")]
    [InlineData("iptables -A FORWARD -o eth2 -j ACCEPT; iptables -t nat -A POSTROUTING -o eth3 -j MASQUERADE", "eth3")]
    public void The_masquerade_interface_is_the_one_of_the_masquerade_rule(string postUp, string expectedInterface)
    {
        Assert.Equal(expectedInterface, ImportWithPostUp(postUp).LanInterface);
    }
}
