using System.Text;
using Sitewire.Config.Diagnostics;
using Sitewire.Host.Live;
using Sitewire.Host.Tests.Doctor;

namespace Sitewire.Host.Tests.Live;

public class NodeSnapshotFileTests
{
    [Fact]
    public void A_snapshot_reads_back_as_written_with_public_keys_only()
    {
        var written = NodeSnapshotFile.Write("home", IptablesNftSnapshots.Home());

        var read = NodeSnapshotFile.Parse(Encoding.UTF8.GetBytes(written), "home.json");

        Assert.Equal(("home", NodeSnapshotFile.Version), (read.Node, read.Version));
        Assert.Equal(written, NodeSnapshotFile.Write(read.Node, read.State));
        Assert.Contains("\"family\": \"ipv6\"", written, StringComparison.Ordinal);
        Assert.Contains("\"publicKey\": \"458On2yA2xnaZ2sQAnlLIpflgyPM0LWJcwsQ12nMh3E=\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("privateKey", written, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("\"version\": 3,", "\"version\": 2,", "home.json:2:14: error: version: version 2 is not one this sitewire reads: take the snapshot again with this sitewire")]
    [InlineData("\"node\": \"home\",", "\"node\": \"home\", \"extra\": 1,", "error: extra: The JSON property 'extra' could not be mapped")]
    [InlineData("\"family\": \"ipv6\"", "\"family\": \"ipx\"", "'ipx' is not an IP family (ipv4 or ipv6)")]
    [InlineData("\"node\": \"home\",", "", "error: (file): JSON deserialization for type 'Sitewire.Host.Live.NodeSnapshotDocument' was missing required properties")]
    public void A_malformed_snapshot_is_refused_naming_the_file_line_and_field(string original, string replacement, string expected)
    {
        var written = NodeSnapshotFile.Write("home", IptablesNftSnapshots.Home());
        Assert.Contains(original, written, StringComparison.Ordinal);
        var broken = Encoding.UTF8.GetBytes(written.Replace(original, replacement, StringComparison.Ordinal));

        var refused = Assert.Throws<DiagnosticsException>(() => NodeSnapshotFile.Parse(broken, "home.json"));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("home.json:", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node-snapshot-invalid-utf8-name")]
    [InlineData("node-snapshot-invalid-utf8-name-2")]
    public void Inputs_the_fuzzer_found_that_are_not_utf8_are_refused_at_the_byte(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Recorded", "fuzz", file));

        var refused = Assert.Throws<DiagnosticsException>(() => NodeSnapshotFile.Parse(bytes, "home.json"));

        Assert.Contains("is not UTF-8", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("home.json:1:", refused.Message, StringComparison.Ordinal);
    }
}
