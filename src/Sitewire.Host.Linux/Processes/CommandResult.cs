namespace Sitewire.Host.Processes;

public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws <see cref="CommandFailedException"/> unless the command exited 0.</summary>
    public CommandResult EnsureSuccess() => Succeeded ? this : throw new CommandFailedException(this);
}

public sealed class CommandFailedException : Exception
{
    public CommandFailedException(CommandResult result)
        : base($"`{result.Command}` exited {result.ExitCode}: {result.StandardError.Trim()}") => Result = result;

    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommandResult? Result { get; }
}
