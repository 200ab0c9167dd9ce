using System.CommandLine;
using System.Text.Json;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Cli.Verify;
using Sitewire.Config.Topology;
using Sitewire.Host.Live;
using Sitewire.Planner.Model;
using Sitewire.Planner.Trace;
using Sitewire.Planner.Verify;

namespace Sitewire.Cli.Trace;

/// <summary>
/// `sitewire trace TOPOLOGY --from HOST --to ADDR[:PORT[/PROTO]]`: one flow through the model, hop by hop, there and back; with
/// `--live DIR`, through the model of the deployed nodes (<see cref="LiveVerifier.Model"/>).
/// </summary>
internal static class TraceCommand
{
    public static Command Create()
    {
        var topology = new Argument<string>("topology") { HelpName = "TOPOLOGY.yaml", Description = "The topology YAML file." };
        var from = new Option<string>("--from") { HelpName = "NAME", Description = "The host or node the flow starts at.", Required = true };
        var to = new Option<string>("--to") { HelpName = "TARGET", Description = "NAME|ADDRESS[:PORT[/tcp|udp]] (no port: ICMP echo; IPv6 literals in brackets with a port).", Required = true };
        var ipv6 = new Option<bool>("--ipv6", "-6") { Description = "Resolve a host or node name in --to to its IPv6 address." };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var live = LiveOption.Create("Trace the flow");
        topology.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        from.CompletionSources.Add(TopologyNames.HostsAndNodes(topology));
        to.CompletionSources.Add(TopologyNames.HostsAndNodes(topology));
        var command = new Command("trace", "Show a flow's path hop by hop, there and back, in the model of the planned network, or with --live of the deployed nodes (exit 0 holds, 1 broken, 2 unusable input).");
        command.Arguments.Add(topology);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(ipv6);
        command.Options.Add(json);
        command.Options.Add(live);
        command.SetAction(parse => Run(parse.GetValue(topology)!, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(ipv6), parse.GetValue(json), parse.GetValue(live)));
        return command;
    }

    private static int Run(string path, string from, string to, bool ipv6, bool json, string? liveDirectory)
    {
        var topology = InMemoryPlan.LoadTopology(path);
        var target = Tracer.ResolveTarget(topology, from, to, ipv6, out var error)
            ?? throw new RequestRefusedException(error!, "--to");
        var result = (liveDirectory is null ? Tracer.Check(InMemoryPlan.Of(topology), from, target, out error) : Live(topology, liveDirectory, from, target, out error))
            ?? throw new RequestRefusedException(error!, "--from");
        var trace = result.Trace!;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(TraceJson.Of(from, target, result), CliJson.Documents.TraceJson));
        }
        else
        {
            var verdict = result.Passes ? "holds both ways" : trace.Holds ? "STALLS (full-size TCP segments)" : $"BROKEN ({trace.BrokenDirection})";
            Console.WriteLine($"trace {Shown.Name(from)} -> {Shown.Name(target.ToString())}: {verdict}");
            TracePrinter.Print(Console.Out, "forward", trace.Forward, result.Mtu?.Forward);
            TracePrinter.Print(Console.Out, "return", trace.Return, result.Mtu?.Return);
            if (result.Mtu?.Stalls == true)
            {
                Console.WriteLine($"  fix: {Shown.Sentence(result.Fix!)}");
            }
        }
        return result.Passes ? ExitCode.Ok : ExitCode.Findings;
    }

    /// <summary>The flow through the model of the deployed nodes; what their snapshots gave rise to goes to standard error.</summary>
    private static FlowResult? Live(Topology topology, string directory, string from, FlowTarget target, out string? error)
    {
        var live = LiveVerifier.Model(topology, LiveOption.Existing(directory), DateTimeOffset.UtcNow);
        foreach (var finding in live.Findings)
        {
            Console.Error.WriteLine($"trace: {finding.Severity.ToString().ToLowerInvariant()}: {finding.Code} [{Shown.NameOrNull(finding.Node) ?? "-"}]: {Shown.Sentence(finding.Message)}");
        }
        return Tracer.Check(new FlowSimulator(live.Network), topology, from, target, out error);
    }
}
