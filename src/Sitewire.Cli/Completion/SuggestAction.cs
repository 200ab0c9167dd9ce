using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Sitewire.Cli.Outcome;

namespace Sitewire.Cli.Completion;

/// <summary>
/// The `[suggest:POSITION] "COMMAND LINE"` directive the shell scripts of `sitewire completion` call: prints, one per
/// line, what can go at POSITION of the command line — verbs, options and the values their completion sources offer
/// (names from the topology, lab ids, paths). Only words that begin with what is already typed are offered, and
/// options only in the forms a Unix shell user types (`--long`, `-x`; not help's `-?`, `/?`, `/h`).
/// </summary>
internal sealed class SuggestAction(SuggestDirective directive) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var commandLine = parseResult.Tokens.LastOrDefault(token => token.Type != TokenType.Directive)?.Value ?? "";
        var position = int.TryParse(parseResult.GetResult(directive)?.Values.SingleOrDefault(), out var given) ? given : commandLine.Length;
        var output = parseResult.InvocationConfiguration.Output;
        foreach (var suggestion in Suggestions(parseResult.RootCommandResult.Command, commandLine, position))
        {
            output.WriteLine(suggestion);
        }
        return ExitCode.Ok;
    }

    /// <summary>What the shell offers for the word at <paramref name="position"/> of <paramref name="commandLine"/> ("sitewire verb ...").</summary>
    public static IReadOnlyList<string> Suggestions(Command root, string commandLine, int position)
    {
        position = Math.Clamp(position, 0, commandLine.Length);
        var parse = root.Parse(commandLine);
        var word = parse.GetCompletionContext() is TextCompletionContext text ? text.AtCursorPosition(position).WordToComplete : "";
        var notTypedOnUnix = OptionAliases(parse.CommandResult).Where(alias => !IsUnixForm(alias)).ToHashSet(StringComparer.Ordinal);
        return [.. parse.GetCompletions(position)
            .Select(item => Shell(item.InsertText ?? item.Label))
            .Where(text => text.StartsWith(word, StringComparison.Ordinal))
            .Where(text => !notTypedOnUnix.Contains(text))
            .Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> OptionAliases(CommandResult command)
    {
        for (SymbolResult? result = command; result is CommandResult current; result = current.Parent)
        {
            foreach (var option in current.Command.Options)
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    private static bool IsUnixForm(string alias) =>
        alias.StartsWith("--", StringComparison.Ordinal) || (alias.Length == 2 && alias[0] == '-' && char.IsAsciiLetterOrDigit(alias[1]));

    /// <summary>One line per suggestion: a suggestion never spans lines.</summary>
    private static string Shell(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');
}
