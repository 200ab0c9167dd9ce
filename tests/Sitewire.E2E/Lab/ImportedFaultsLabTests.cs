using System.Text.RegularExpressions;
using Sitewire.E2E.Infrastructure;

namespace Sitewire.E2E.Lab;

/// <summary>
/// Issue 16, class 5, end to end: a hand-made set of wg-quick files with two faults (alpha's PostUp drops SMB from the
/// tunnel; the relay's entry for delta lost delta's LAN) is imported by the CLI, filled in as an admin would (OS, LAN
/// addresses, hosts, flows), and then `sitewire verify` predicts exactly the flows the faults break, and `sitewire lab`
/// on the imported topology measures the same, with each userspace engine.
/// </summary>
[Collection(LabCollection.Name)]
public partial class ImportedFaultsLabTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    private const string Hosts = """
        hosts:
          - { name: alpha-nas, site: alpha, address: 10.20.0.10, services: [80/tcp, 445/tcp] }
          - { name: alpha-pc, site: alpha, address: 10.20.0.11 }
          - { name: beta-pc, site: beta, address: 10.22.0.10 }
          - { name: delta-srv, site: delta, address: 10.21.0.10, services: [80/tcp] }
        """;

    private const string Flows = """
        flows:
          - { from: beta-pc, to: "alpha-nas:445/tcp" }
          - { from: beta-pc, to: "alpha-nas:80/tcp" }
          - { from: alpha-pc, to: "delta-srv:80/tcp" }
          - { from: delta-srv, to: "alpha-nas:80/tcp" }
        """;

    [GeneratedRegex(@"# address: TODO +# optional: .*? e\.g\. (\S+): .*")]
    private static partial Regex LanAddressHint();

    [GeneratedRegex(@"os: TODO .*")]
    private static partial Regex OsTodo();

    [Theory]
    [InlineData("sitewired")]
    [InlineData("wireguard-go")]
    public void Verify_predicts_the_flows_the_imported_faults_break_and_the_lab_measures_the_same(string engine)
    {
        using var temp = new TemporaryDirectory();
        var configs = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.Planner.Tests", "Import", "Configs", "faults"))
            .Order(StringComparer.Ordinal).Select(node => Path.Combine(node, "wg0.conf")).ToArray();
        var imported = Path.Combine(temp.Path, "imported.yaml");

        var (importExit, _, importErrors) = CliRun.RunSeparately(Deadline, ["import", .. configs, "-o", imported]);

        Assert.True(importExit == 0, importErrors);
        Assert.Contains("warning: alpha and beta route 10.21.0.0/24 to relay, but relay has no peer for it", importErrors, StringComparison.Ordinal);
        var filled = Path.Combine(temp.Path, "filled.yaml");
        File.WriteAllText(filled, LanAddressHint().Replace(OsTodo().Replace(File.ReadAllText(imported), "os: ubuntu"), "address: $1")
            .Replace("hosts: []", Hosts, StringComparison.Ordinal)
            .Replace("flows: []", Flows, StringComparison.Ordinal));

        var (verifyExit, verifyOutput) = CliRun.Run(Deadline, "verify", filled);

        Assert.True(verifyExit == 1, verifyOutput);
        Assert.Contains("alpha and beta route 10.21.0.0/24 to relay, but relay has no peer for it", verifyOutput, StringComparison.Ordinal);
        Assert.Matches(@"BROKEN\s+beta-pc -> alpha-nas:445/tcp \(allow\)\s+stopped at alpha", verifyOutput);
        Assert.Contains("rule 'FORWARD -i wg0 -o eth1 -p tcp --dport 445 -j DROP' drops", verifyOutput, StringComparison.Ordinal);
        Assert.Matches(@"ok\s+beta-pc -> alpha-nas:80/tcp", verifyOutput);
        Assert.Matches(@"BROKEN\s+alpha-pc -> delta-srv:80/tcp \(allow\)\s+stopped at relay", verifyOutput);
        Assert.Matches(@"BROKEN\s+delta-srv -> alpha-nas:80/tcp \(allow\)\s+stopped at relay", verifyOutput);
        Assert.Contains("flows: 1 of 4 as expected", verifyOutput, StringComparison.Ordinal);

        var (labExit, labOutput) = CliRun.Run(Deadline, "lab", filled, "--engine", engine);

        Assert.True(labExit == 1, labOutput);
        Assert.Contains("4 of 4 flows as verify predicted", labOutput, StringComparison.Ordinal);
        Assert.Contains("lab and verify agree that the design breaks", labOutput, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(labOutput), []);
    }
}
