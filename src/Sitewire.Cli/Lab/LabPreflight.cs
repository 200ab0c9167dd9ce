using Sitewire.Cli.Display;
using Sitewire.Host.Lab;
using Sitewire.Host.Processes;

namespace Sitewire.Cli.Lab;

/// <summary>Root and package checks before a lab starts: says what is missing, installs only with --install-deps as root.</summary>
internal static class LabPreflight
{
    /// <summary>Null when the lab may start, else the exit code after explaining why not.</summary>
    public static int? Check(bool installDeps, LabEngineKind engine)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Console.Error.WriteLine("sitewire lab: needs root to create network namespaces: sudo ./sitewire lab");
            return 2;
        }
        var missing = Dependencies.MissingPackages(Dependencies.LabCommandsFor(engine));
        if (missing.Count == 0)
        {
            return null;
        }
        if (!installDeps)
        {
            Console.Error.WriteLine($"sitewire lab: missing Debian packages: {string.Join(' ', missing)}");
            Console.Error.WriteLine($"  install them: apt-get install {string.Join(' ', missing)}   (or run: sudo ./sitewire lab --install-deps)");
            return 2;
        }
        Console.WriteLine($"[lab] installing {string.Join(' ', missing)} (--install-deps)");
        var update = Shell.Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
        var install = Shell.Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. missing], TimeSpan.FromMinutes(10),
            environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        if (!update.Succeeded || !install.Succeeded)
        {
            Console.Error.WriteLine($"sitewire lab: apt-get failed: {Shown.Sentence(install.StandardError.Trim())} {Shown.Sentence(update.StandardError.Trim())}");
            return 2;
        }
        return null;
    }
}
