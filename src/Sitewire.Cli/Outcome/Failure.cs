using System.Net.Sockets;
using Sitewire.Config.Diagnostics;
using Sitewire.Host.Processes;

namespace Sitewire.Cli.Outcome;

/// <summary>
/// Why a verb did not finish, as users and scripts see it. The one mapping from failures to exit codes and what is
/// shown: input errors are diagnostics with a position, and a refused request or a failing host is a line each (both
/// exit 2); any other exception is a bug in sitewire (exit 70). Verbs throw; none catches to print and exit.
/// </summary>
internal sealed record Failure(string Status, int ExitCode, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<FailureMessage> Messages)
{
    /// <summary>The input (topology, configs, arguments) is not usable.</summary>
    public const string Unusable = "unusable";

    /// <summary>The host could not do what the verb needs (a command failed, a file, a socket, permissions).</summary>
    public const string Failed = "failed";

    /// <summary>A bug in sitewire.</summary>
    public const string InternalError = "internal-error";

    public static Failure Of(Exception exception) => exception switch
    {
        DiagnosticsException { Diagnostics.Count: > 0 } input => new(Unusable, Outcome.ExitCode.Unusable, input.Diagnostics, []),
        DiagnosticsException input => UnusableRequest(new FailureMessage(null, input.Message)),
        RequestRefusedException refused => UnusableRequest(new FailureMessage(refused.Argument, refused.Message)),
        _ when IsHostFailure(exception) => new(Failed, Outcome.ExitCode.Unusable, [], [.. Flatten(exception).Select(e => new FailureMessage(null, e.Message))]),
        _ => new(InternalError, Outcome.ExitCode.InternalError, [], [new FailureMessage(null, $"internal error (a bug in sitewire; please report it): {exception.GetType().Name}: {exception.Message}")]),
    };

    public static Failure UnusableRequest(params IReadOnlyList<FailureMessage> messages) => new(Unusable, Outcome.ExitCode.Unusable, [], messages);

    /// <summary>
    /// What a host can fail with while a verb works on it (FormatException: a host tool's output the doctor cannot read, as
    /// the iptables-save, nft -j, wg dump and firewall-cmd readers report it). Lab builds run in parallel, so these may come aggregated.
    /// </summary>
    private static bool IsHostFailure(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.All(IsHostFailure),
        _ => exception is IOException or UnauthorizedAccessException or SocketException or CommandFailedException
            or InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException,
    };

    private static IEnumerable<Exception> Flatten(Exception exception) =>
        exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [exception];
}
