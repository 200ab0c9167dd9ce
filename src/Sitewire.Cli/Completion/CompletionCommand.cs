using System.CommandLine;
using Sitewire.Cli.Outcome;

namespace Sitewire.Cli.Completion;

/// <summary>`sitewire completion bash|zsh`: prints the shell's completion script, as `kubectl completion` does.</summary>
internal static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh"];

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion", "Print the shell completion script: `source <(sitewire completion bash)` (or zsh); see the README to install it for good.");
        command.Arguments.Add(shell);
        command.SetAction(parse =>
        {
            Console.Write(Script(parse.GetValue(shell)!));
            return ExitCode.Ok;
        });
        return command;
    }

    public static string Script(string shell)
    {
        using var stream = typeof(CompletionCommand).Assembly.GetManifestResourceStream($"Sitewire.Cli.Completion.sitewire.{shell}")
            ?? throw new InvalidOperationException($"no completion script for {shell} in sitewire");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
