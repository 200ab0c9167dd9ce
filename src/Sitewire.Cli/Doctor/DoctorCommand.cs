using System.CommandLine;
using System.Text.Json;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Doctor;
using Sitewire.Host.Live;
using Sitewire.Host.Metrics;
using Sitewire.Tunnel.Metrics;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Doctor;

/// <summary>
/// `sitewire doctor [IFACE]`: reads the live node (kernel WireGuard or a userspace engine, through `wg`), names
/// what is missing with the command that fixes it, against what the plan expects of the node: `--topology --node`, else
/// `--expected FILE`, else the installed /etc/wireguard/sitewire-IFACE.json (<see cref="ExpectedStateFile"/>).
/// Exit 0 healthy, 1 problems, 2 cannot examine (an unusable expected-state file among it). `--snapshot FILE --node NODE`
/// writes the live state for `verify --live` instead (<see cref="NodeSnapshotFile"/>).
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var iface = new Argument<string?>("interface") { Description = "The WireGuard interface (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var topology = new Option<string?>("--topology") { HelpName = "TOPOLOGY.yaml", Description = "The topology file: check the node against its plan (with --node)." };
        var node = new Option<string?>("--node") { HelpName = "NODE", Description = "This node's name in the topology." };
        var expected = new Option<string?>("--expected")
        {
            HelpName = "FILE",
            Description = $"The plan's expected state of the interface (default: {ExpectedStateFile.InstalledPath("IFACE")} when it exists; --topology/--node win).",
        };
        expected.CompletionSources.Add(PathCompletion.Files([".json"]));
        topology.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        node.CompletionSources.Add(TopologyNames.Nodes(topology));
        var metrics = new Option<bool>("--metrics") { Description = "Print per-peer Prometheus metrics instead of checks." };
        var snapshot = new Option<string?>("--snapshot")
        {
            HelpName = "FILE",
            Description = "Write the node's live state to FILE (- for standard output) as a snapshot for `sitewire verify TOPOLOGY --live DIR`, instead of checks (needs --node).",
        };
        var command = new Command("doctor", "Examine a live WireGuard node against its plan's expected state: handshakes, routes, forwarding, firewall, masquerade, MTU, drift; each problem with its fix (exit 0 healthy, 1 problems, 2 unusable input).");
        command.Arguments.Add(iface);
        command.Options.Add(json);
        command.Options.Add(topology);
        command.Options.Add(node);
        command.Options.Add(expected);
        command.Options.Add(metrics);
        command.Options.Add(snapshot);
        command.SetAction(parse => parse.GetValue(snapshot) is { } file
            ? WriteSnapshot(file, parse.GetValue(node), parse.GetValue(topology) is null && parse.GetValue(expected) is null && parse.GetValue(iface) is null && !parse.GetValue(metrics) && !parse.GetValue(json))
            : Run(parse.GetValue(iface), parse.GetValue(json), parse.GetValue(topology), parse.GetValue(node), parse.GetValue(expected), parse.GetValue(metrics)));
        return command;
    }

    private static int Run(string? iface, bool json, string? topologyPath, string? nodeName, string? expectedPath, bool metrics)
    {
        if ((topologyPath is null) != (nodeName is null))
        {
            throw new RequestRefusedException("--topology and --node go together", topologyPath is null ? "--node" : "--topology");
        }
        var given = topologyPath is not null ? FromTopology(topologyPath, nodeName!)
            : expectedPath is not null ? FromFile(expectedPath, iface)
            : null;
        var snapshot = NodeSnapshotReader.Capture();
        if (metrics)
        {
            var selected = iface is null ? snapshot.WireGuard : [.. snapshot.WireGuard.Where(w => w.Name == iface)];
            WireGuardMetrics.Write(new PrometheusTextWriter(Console.Out), selected);
            return ExitCode.Ok;
        }
        var examined = iface ?? (topologyPath is null && expectedPath is not null ? given!.State!.Interface : null);
        var reports = NodeDoctor.Examine(snapshot, examined, name => given ?? Installed(name));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(DoctorJson.Of(reports), CliJson.Documents.DoctorJson));
        }
        else
        {
            foreach (var report in reports)
            {
                Print(report);
            }
        }
        return reports.All(r => r.Healthy) ? ExitCode.Ok : ExitCode.Findings;
    }

    /// <summary>`--snapshot FILE --node NODE`: the live state as <see cref="NodeSnapshotFile"/>, written whole or not at all.</summary>
    private static int WriteSnapshot(string file, string? nodeName, bool alone)
    {
        if (nodeName is null || !alone)
        {
            throw new RequestRefusedException(nodeName is null
                ? "--snapshot needs --node NODE: the node's name in the topology, which verify --live finds it by"
                : "--snapshot takes --node only: no interface, --topology, --expected, --metrics or --json", "--snapshot");
        }
        var text = NodeSnapshotFile.Write(nodeName, NodeSnapshotReader.Capture());
        if (file == "-")
        {
            Console.Out.Write(text);
        }
        else
        {
            var temporary = file + ".partial";
            File.WriteAllText(temporary, text);
            File.Move(temporary, file, overwrite: true);
            Console.Error.WriteLine($"doctor: snapshot of {nodeName} written to {file}");
        }
        return ExitCode.Ok;
    }

    private static ExpectedLookup FromTopology(string topologyPath, string nodeName)
    {
        var plan = InMemoryPlan.Load(topologyPath);
        return ExpectedLookup.Found(ExpectedStates.For(plan, plan.NodeNamed(nodeName), knownKeys: false), $"the plan of {nodeName} in {topologyPath}");
    }

    private static ExpectedLookup FromFile(string path, string? iface) =>
        File.Exists(path)
            ? ExpectedLookup.Found(ExpectedStateFile.Read(path, iface), path)
            : throw new RequestRefusedException($"--expected {path}: no such file", "--expected");

    /// <summary>The installed file of the interface, when there is one.</summary>
    private static ExpectedLookup Installed(string iface)
    {
        var path = ExpectedStateFile.InstalledPath(iface);
        return File.Exists(path) ? ExpectedLookup.Found(ExpectedStateFile.Read(path, iface), path) : ExpectedLookup.Missing(path);
    }

    private static void Print(DoctorReport report)
    {
        var name = Shown.Name(report.Interface);
        Console.WriteLine($"sitewire doctor: {name}");
        foreach (var finding in report.Findings)
        {
            var status = finding.Status switch
            {
                CheckStatus.Ok => "ok     ",
                CheckStatus.Warning => "warning",
                _ => "PROBLEM",
            };
            Console.WriteLine($"  {status}  {finding.Check}: {Shown.Sentence(finding.Message)}");
            foreach (var fix in finding.Fixes)
            {
                Console.WriteLine($"           fix: {Shown.Sentence(fix)}");
            }
        }
        var problems = report.Findings.Count(f => f.Status == CheckStatus.Problem);
        var warnings = report.Findings.Count(f => f.Status == CheckStatus.Warning);
        Console.WriteLine($"doctor: {name}: {(problems == 0 ? "healthy" : $"{problems} problem{(problems == 1 ? "" : "s")}")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
    }
}
