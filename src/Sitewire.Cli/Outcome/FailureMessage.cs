namespace Sitewire.Cli.Outcome;

/// <summary>One line of a <see cref="Failure"/> without a file position; <see cref="Argument"/> names the option at fault.</summary>
internal sealed record FailureMessage(string? Argument, string Text);
