using System.Text.Json;
using Json.Schema;
using Sitewire.Host.Live;
using Sitewire.Host.Tests.Doctor;

namespace Sitewire.Host.Tests.Live;

/// <summary>The published schemas/snapshot.schema.json is the snapshot file's contract: what sitewire writes validates, what its reader refuses does not.</summary>
public class SnapshotSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Recorded", "snapshot.schema.json"));

    public static TheoryData<string> Written => ["seed-lab relay", "seed-lab office", "seed-lab home", "home (iptables-nft, handshakes, keepalive)", "office (no firewalld)"];

    [Theory]
    [MemberData(nameof(Written))]
    public void What_sitewire_writes_validates(string snapshot)
    {
        var text = snapshot.StartsWith("seed-lab ", StringComparison.Ordinal)
            ? File.ReadAllText(Path.Combine(SeedLab.Snapshots, NodeSnapshotFile.FileName(snapshot["seed-lab ".Length..])))
            : NodeSnapshotFile.Write("n", snapshot.StartsWith("home", StringComparison.Ordinal) ? IptablesNftSnapshots.Home() : OfficeSnapshot.Healthy());

        var errors = Errors(text);

        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Theory]
    [InlineData("\"version\": 3,", "\"version\": 2,")]
    [InlineData("\"node\": \"n\",", "\"node\": \"n\", \"extra\": 1,")]
    [InlineData("\"family\": \"ipv6\"", "\"family\": \"ipx\"")]
    [InlineData("\"hasPresharedKey\": false,", "")]
    public void What_the_reader_refuses_does_not_validate(string original, string replacement)
    {
        var written = NodeSnapshotFile.Write("n", IptablesNftSnapshots.Home());
        Assert.Contains(original, written, StringComparison.Ordinal);
        var broken = written.Replace(original, replacement, StringComparison.Ordinal);

        Assert.NotEmpty(Errors(broken));
        Assert.Throws<Config.Diagnostics.DiagnosticsException>(() => NodeSnapshotFile.Parse(System.Text.Encoding.UTF8.GetBytes(broken), "n.json"));
    }

    /// <summary>Nothing when the document is valid; else each failing location (a valid document's list also holds its failed oneOf branches).</summary>
    private static List<string> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
