using System.CommandLine;
using System.CommandLine.Parsing;

namespace Sitewire.Cli.Outcome;

/// <summary>
/// Runs the verb a command line names under the one error contract: a command line that does not parse is unusable
/// input (exit 2), a verb returns 0 or 1, and whatever it throws becomes a <see cref="Failure"/> — as JSON on stdout
/// when the verb was asked for `--json`.
/// </summary>
internal static class VerbInvocation
{
    public static int Run(ParseResult parse)
    {
        var command = CommandLine(parse.CommandResult);
        var json = WantsJson(parse);
        if (parse.Errors.Count > 0)
        {
            return FailureReport.Write(Failure.UnusableRequest([.. parse.Errors.Select(error => new FailureMessage(null, error.Message))]), command, json);
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception)
        {
            return FailureReport.Write(Failure.Of(exception), command, json, exception);
        }
    }

    /// <summary>"sitewire lab check": the program and the verb, as failures are prefixed.</summary>
    private static string CommandLine(CommandResult command)
    {
        var names = new List<string> { "sitewire" };
        for (var result = command; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(1, result.Command.Name);
        }
        return string.Join(' ', names);
    }

    private static bool WantsJson(ParseResult parse) =>
        parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(option => option.Name == "--json") is { } json
        && parse.GetValue(json);
}
