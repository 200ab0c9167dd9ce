using Sitewire.Host.Processes;

namespace Sitewire.E2E.Infrastructure;

/// <summary>Runs the built `sitewire` CLI (artifacts/bin) and hands its stdout and stderr to <see cref="SecretWatch"/>.</summary>
public static class SitewireCli
{
    public static CommandResult Run(params string[] arguments)
    {
        var result = Shell.Run(RepositoryPaths.Sitewire, arguments);
        Observe(arguments, result.StandardOutput, result.StandardError);
        return result;
    }

    /// <summary>Hands the output of `sitewire ARGUMENTS`, run elsewhere, to <see cref="SecretWatch"/>.</summary>
    public static void Observe(IReadOnlyList<string> arguments, string standardOutput, string standardError)
    {
        var command = $"sitewire {string.Join(' ', arguments.Take(2))}";
        SecretWatch.Suite.Observe($"{command} (stdout)", standardOutput);
        SecretWatch.Suite.Observe($"{command} (stderr)", standardError);
    }
}
