using System.CommandLine;
using System.Text.Json;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Cli.Verify;
using Sitewire.Host.Doctor;
using Sitewire.Host.Doctor.Checks;
using Sitewire.Host.Metrics;
using Sitewire.Tunnel.Metrics;
using Sitewire.Planner.Plan;

namespace Sitewire.Cli.Doctor;

/// <summary>
/// `sitewire doctor [IFACE]`: reads the live node (kernel WireGuard or a userspace engine, through `wg`), names
/// what is missing with the command that fixes it. Exit 0 healthy, 1 problems, 2 cannot examine.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var iface = new Argument<string?>("interface") { Description = "The WireGuard interface (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var topology = new Option<string?>("--topology") { HelpName = "TOPOLOGY.yaml", Description = "The topology file: check the node against its plan (with --node)." };
        var node = new Option<string?>("--node") { HelpName = "NODE", Description = "This node's name in the topology." };
        topology.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        node.CompletionSources.Add(TopologyNames.Nodes(topology));
        var metrics = new Option<bool>("--metrics") { Description = "Print per-peer Prometheus metrics instead of checks." };
        var command = new Command("doctor", "Examine a live WireGuard node: handshakes, routes, forwarding, firewall, masquerade, MTU; each problem with its fix (exit 0 healthy, 1 problems, 2 unusable input).");
        command.Arguments.Add(iface);
        command.Options.Add(json);
        command.Options.Add(topology);
        command.Options.Add(node);
        command.Options.Add(metrics);
        command.SetAction(parse => Run(parse.GetValue(iface), parse.GetValue(json), parse.GetValue(topology), parse.GetValue(node), parse.GetValue(metrics)));
        return command;
    }

    private static int Run(string? iface, bool json, string? topologyPath, string? nodeName, bool metrics)
    {
        if ((topologyPath is null) != (nodeName is null))
        {
            throw new RequestRefusedException("--topology and --node go together", topologyPath is null ? "--node" : "--topology");
        }
        var snapshot = NodeSnapshotReader.Capture();
        if (metrics)
        {
            var selected = iface is null ? snapshot.WireGuard : [.. snapshot.WireGuard.Where(w => w.Name == iface)];
            WireGuardMetrics.Write(new PrometheusTextWriter(Console.Out), selected);
            return ExitCode.Ok;
        }
        var planned = topologyPath is null ? null : PlanNode(topologyPath, nodeName!);
        var reports = NodeDoctor.Examine(snapshot, iface, planned is null ? null : DoctorExpectations.For(planned.Value.Node));
        if (planned is { } p)
        {
            reports = [.. reports.Select(r => r with { Findings = [.. r.Findings, .. DriftCheck.Run(snapshot, snapshot.WireGuard.First(w => w.Name == r.Interface), p.Plan, p.Node)] })];
        }
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

    private static (NetworkPlan Plan, NodePlan Node)? PlanNode(string topologyPath, string nodeName)
    {
        var plan = InMemoryPlan.Load(topologyPath);
        return (plan, plan.NodeNamed(nodeName));
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
