using Sitewire.Config.Topology;
using System.CommandLine;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Config.Diagnostics;
using Sitewire.Planner.Plan;

namespace Sitewire.Cli.Plan;

/// <summary>`sitewire plan TOPOLOGY -o OUT`: every node's wg-quick config, keys, rules and docs. Exit 0 ok, 2 unusable input.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var topology = new Argument<string>("topology") { HelpName = "TOPOLOGY.yaml", Description = "The topology YAML file." };
        var output = new Option<string>("--output", "-o") { HelpName = "DIR", Description = "Output directory (replaced as a whole; created when absent).", Required = true };
        topology.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        output.CompletionSources.Add(PathCompletion.Directories());
        var keys = new Option<string>("--keys") { Description = "central: keys generated into OUT/keys; node-local: each node creates its own key; a node's keys: in the topology wins, and clients are central unless they say otherwise (their config and QR code are complete). [default: what OUT was planned with, else central]" };
        keys.AcceptOnlyFromAmong("central", "node-local");
        var psk = new Option<bool>("--psk") { Description = "A preshared key per link (--psk false: none). [default: what OUT was planned with, else none]" };
        var ansible = new Option<bool>("--ansible") { Description = "Also write OUT/ansible/inventory.ini and playbook.yml. [default: what OUT was planned with]" };
        var replaceKeys = new Option<bool>("--replace-keys") { Description = "Allow a change of --keys or --psk that deletes or replaces the keys kept in OUT." };
        var keysFrom = new Option<string?>("--keys-from") { HelpName = "DIR", Description = "Keep the keys of an earlier plan output directory (for a new -o)." };
        keysFrom.CompletionSources.Add(PathCompletion.Directories());
        var command = new Command("plan", "Plan every node of a topology: wg-quick configs, keys, NAT/firewall rules, per-node READMEs (exit 0 written, 2 unusable input; OUT is then untouched).");
        command.Arguments.Add(topology);
        command.Options.Add(output);
        command.Options.Add(keys);
        command.Options.Add(psk);
        command.Options.Add(ansible);
        command.Options.Add(replaceKeys);
        command.Options.Add(keysFrom);
        command.SetAction(parseResult =>
        {
            var request = new PlanRequest(
                Given(parseResult, keys) ? parseResult.GetValue(keys) == "node-local" ? KeyMode.NodeLocal : KeyMode.Central : null,
                Given(parseResult, psk) ? parseResult.GetValue(psk) : null,
                Given(parseResult, ansible) ? parseResult.GetValue(ansible) : null,
                parseResult.GetValue(replaceKeys),
                parseResult.GetValue(keysFrom));
            var outputDirectory = parseResult.GetValue(output)!;
            var diagnostics = PlanGenerator.Generate(parseResult.GetValue(topology)!, outputDirectory, request, note => Console.WriteLine($"plan: {Shown.Sentence(note)}"));
            if (diagnostics.Count > 0)
            {
                throw new DiagnosticsException(diagnostics);
            }
            Console.WriteLine($"plan written to {Shown.Name(outputDirectory)}");
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Whether the option is on the command line (not only its default).</summary>
    private static bool Given(ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };
}
