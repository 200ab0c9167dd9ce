namespace Sitewire.Cli.Outcome;

/// <summary>
/// A request a verb cannot carry out as asked — a bad argument, no such lab or host, a host without what the verb
/// needs. Reported in one line (naming <see cref="Argument"/> when one is to blame) with exit code 2.
/// </summary>
internal sealed class RequestRefusedException : Exception
{
    public RequestRefusedException(string message, string? argument = null)
        : base(message)
    {
        Argument = argument;
    }

    public RequestRefusedException()
    {
    }

    public RequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The command-line argument or option at fault (<c>--to</c>), when there is one.</summary>
    public string? Argument { get; }
}
