using System.CommandLine;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Outcome;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Text;

namespace Sitewire.Cli.Import;

/// <summary>
/// `sitewire import FILE...`: existing wg-quick configs → topology YAML with TODOs; what the configs hold beyond a design
/// is kept as node facts, and each warning (also at the head of the YAML) goes to stderr. Exit 0 ok, 2 unusable input.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { HelpName = "FILE", Description = "The wg-quick configs, one per node.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { HelpName = "FILE", Description = "Write the topology here instead of stdout." };
        files.CompletionSources.Add(PathCompletion.Files(PathCompletion.WgQuickExtensions));
        output.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        var command = new Command("import", "Read existing wg-quick configs of several nodes into a topology YAML (unknowns as TODO) (exit 0 written, 2 unusable input).");
        command.Arguments.Add(files);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            var parsed = parseResult.GetValue(files)!.Select(path => (Path: path, Result: WgQuickParser.Load(path))).ToList();
            var diagnostics = parsed.SelectMany(entry => entry.Result.Diagnostics).ToList();
            if (diagnostics.Count > 0)
            {
                throw new DiagnosticsException(diagnostics);
            }
            var imported = ConfigImporter.Import(parsed.Select(entry => (entry.Path, entry.Result.Config!)).ToList());
            var yaml = ImportYamlWriter.Write(imported);
            foreach (var warning in imported.Warnings)
            {
                Console.Error.WriteLine($"warning: {DisplayText.Escape(warning, maxLength: 2000)}");
            }
            if (parseResult.GetValue(output) is { } path)
            {
                File.WriteAllText(path, yaml);
            }
            else
            {
                Console.Out.Write(yaml);
            }
            return ExitCode.Ok;
        });
        return command;
    }
}
