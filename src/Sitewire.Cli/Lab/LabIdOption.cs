using System.CommandLine;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Outcome;

namespace Sitewire.Cli.Lab;

/// <summary>
/// `--lab ID`: the one way every `lab` subcommand (check, down, exec) names a lab; without it, the kept lab. The older
/// form of `lab check ID` and `lab down ID`, an id as the argument, still works and says on stderr that it is deprecated.
/// </summary>
internal sealed class LabIdOption(Option<string?> option, Argument<string?>? deprecatedArgument)
{
    public Option<string?> Option => option;

    /// <summary>`--lab ID` added to <paramref name="command"/>, and the deprecated id argument when <paramref name="acceptsIdArgument"/>.</summary>
    public static LabIdOption AddTo(Command command, string defaultLab, bool acceptsIdArgument)
    {
        var lab = new Option<string?>("--lab") { HelpName = "ID", Description = $"The lab id (default: {defaultLab})." };
        lab.CompletionSources.Add(LabNames.Ids);
        command.Options.Add(lab);
        Argument<string?>? argument = null;
        if (acceptsIdArgument)
        {
            argument = new Argument<string?>("id") { Description = "Deprecated: use --lab ID.", Arity = ArgumentArity.ZeroOrOne, Hidden = true };
            command.Arguments.Add(argument);
        }
        return new LabIdOption(lab, argument);
    }

    /// <summary>The lab id given, or null; refuses `--lab` and an id argument together.</summary>
    public string? Value(ParseResult parse)
    {
        var named = parse.GetValue(option);
        var positional = deprecatedArgument is null ? null : parse.GetValue(deprecatedArgument);
        if (positional is null)
        {
            return named;
        }
        if (named is not null)
        {
            throw new RequestRefusedException($"the lab is named twice ('{positional}' and --lab '{named}'): name it once, with --lab ID", "--lab");
        }
        Console.Error.WriteLine($"sitewire lab {parse.CommandResult.Command.Name}: the lab id as an argument is deprecated; use --lab {positional}");
        return positional;
    }
}
