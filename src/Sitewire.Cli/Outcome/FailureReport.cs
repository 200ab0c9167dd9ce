using Sitewire.Cli.Display;
using Sitewire.Text;

namespace Sitewire.Cli.Outcome;

/// <summary>
/// Shows a <see cref="Failure"/>: with `--json` as <see cref="FailureJson"/> on stdout (so a script always gets JSON),
/// else as lines on stderr — each diagnostic compiler-style, each message as <c>sitewire VERB: ...</c> (the
/// <c>command</c> given).
/// Everything shown goes through <see cref="DisplayText.Escape"/>.
/// </summary>
internal static class FailureReport
{
    public static int Write(Failure failure, string command, bool json, Exception? cause = null)
    {
        if (json)
        {
            Console.Out.WriteLine(FailureJson.From(failure).Serialize());
        }
        else
        {
            WriteLines(failure, command, Console.Error);
        }
        if (failure.Status == Failure.InternalError && cause?.StackTrace is { } stack)
        {
            Console.Error.WriteLine(stack);
        }
        return failure.ExitCode;
    }

    private static void WriteLines(Failure failure, string command, TextWriter output)
    {
        foreach (var diagnostic in failure.Diagnostics)
        {
            output.WriteLine(diagnostic);
        }
        foreach (var message in failure.Messages)
        {
            var argument = message.Argument is null ? "" : $"{message.Argument}: ";
            output.WriteLine($"{command}: {argument}{Shown.Sentence(message.Text)}");
        }
        if (failure.Diagnostics.Count > 0)
        {
            var count = failure.Diagnostics.Count;
            output.WriteLine($"{command}: the input is not usable ({count} error{(count == 1 ? "" : "s")})");
        }
    }
}
