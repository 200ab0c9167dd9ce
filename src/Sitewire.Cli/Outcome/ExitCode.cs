namespace Sitewire.Cli.Outcome;

/// <summary>What every verb's exit code means; <see cref="Failure.Of"/> maps failures to them in one place.</summary>
internal static class ExitCode
{
    /// <summary>The verb did its job and everything holds (healthy, every flow as expected, written).</summary>
    public const int Ok = 0;

    /// <summary>The verb did its job and the answer is no: findings, broken flows, problems, a lab that disagrees.</summary>
    public const int Findings = 1;

    /// <summary>The verb could not do its job: unusable input or arguments, or a host that lacks what it needs.</summary>
    public const int Unusable = 2;

    /// <summary>A bug in sitewire (sysexits' EX_SOFTWARE): an exception no verb expects.</summary>
    public const int InternalError = 70;

    /// <summary>Stopped by SIGINT or SIGTERM, as a shell reports it.</summary>
    public const int Interrupted = 130;
}
