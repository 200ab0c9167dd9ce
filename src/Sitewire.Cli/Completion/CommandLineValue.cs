using System.CommandLine;
using System.CommandLine.Parsing;

namespace Sitewire.Cli.Completion;

/// <summary>What the command line being completed gives an option or argument so far, read without conversion or validation.</summary>
internal static class CommandLineValue
{
    public static string? Of(ParseResult parse, Symbol symbol) =>
        parse.GetResult(symbol) switch
        {
            OptionResult { Tokens.Count: > 0 } option => option.Tokens[0].Value,
            ArgumentResult { Tokens.Count: > 0 } argument => argument.Tokens[0].Value,
            _ => null,
        };
}
