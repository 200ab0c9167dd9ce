using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;
using Sitewire.Host.Processes;

namespace Sitewire.Cli.Lab;

/// <summary>Root and package checks before a lab starts: says what is missing, installs only with --install-deps as root.</summary>
internal static class LabPreflight
{
    /// <summary>Returns when the lab may start; throws <see cref="RequestRefusedException"/> saying why not.</summary>
    public static void Check(bool installDeps, LabEngineKind engine)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new RequestRefusedException("needs root to create network namespaces: sudo ./sitewire lab");
        }
        var missing = Dependencies.MissingPackages(Dependencies.LabCommandsFor(engine));
        if (missing.Count == 0)
        {
            return;
        }
        if (!installDeps)
        {
            throw new RequestRefusedException($"missing Debian packages: {string.Join(' ', missing)}; install them: apt-get install {string.Join(' ', missing)}   (or run: sudo ./sitewire lab --install-deps)");
        }
        Console.WriteLine($"[lab] installing {string.Join(' ', missing)} (--install-deps)");
        var update = Shell.Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
        var install = Shell.Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. missing], TimeSpan.FromMinutes(10),
            environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        if (!update.Succeeded || !install.Succeeded)
        {
            throw new RequestRefusedException($"apt-get failed: {install.StandardError.Trim()} {update.StandardError.Trim()}");
        }
    }
}
