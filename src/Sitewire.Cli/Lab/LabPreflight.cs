using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;
using Sitewire.Host.Processes;

namespace Sitewire.Cli.Lab;

/// <summary>Root and package checks before a lab starts: says what is missing, installs only with --install-deps as root.</summary>
internal static class LabPreflight
{
    public static void CheckRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new RequestRefusedException("needs root to create network namespaces: sudo ./sitewire lab");
        }
    }

    /// <summary>
    /// Returns when the lab may start; throws <see cref="RequestRefusedException"/> saying why not. <paramref name="firewalld"/>:
    /// the lab runs firewalld on RHEL-family nodes, so it needs the firewalld package too.
    /// </summary>
    public static void Check(bool installDeps, LabEngineKind engine, bool firewalld)
    {
        CheckRoot();
        var missing = Dependencies.MissingPackages(Dependencies.LabCommandsFor(engine, firewalld));
        if (missing.Count == 0)
        {
            return;
        }
        if (!installDeps)
        {
            var withoutFirewalld = firewalld && Dependencies.MissingPackages(Dependencies.LabCommandsFor(engine)).Count == 0
                ? " (or run the RHEL-family nodes without firewalld: sitewire lab --no-firewalld)"
                : "";
            throw new RequestRefusedException($"missing Debian packages: {string.Join(' ', missing)}; install them: apt-get install {string.Join(' ', missing)}   (or run: sudo ./sitewire lab --install-deps){withoutFirewalld}");
        }
        Console.WriteLine($"[lab] installing {string.Join(' ', missing)} (--install-deps)");
        var systemd = missing.Contains("firewalld") && Directory.Exists("/run/systemd/system") && Executables.Which("systemctl") is not null;
        if (systemd)
        {
            Shell.Run("systemctl", "mask", "firewalld.service");
        }
        var update = Shell.Run("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
        var install = Shell.Run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. missing], TimeSpan.FromMinutes(10),
            environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        if (systemd)
        {
            // The lab runs firewalld only inside its nodes. The package enables and starts firewalld.service on a systemd host,
            // which would take over the machine's own firewall: masked while it installs, then unmasked and left disabled.
            Shell.Run("systemctl", "unmask", "firewalld.service");
            Shell.Run("systemctl", "disable", "firewalld.service");
            Console.WriteLine("[lab] firewalld is installed for the lab's RHEL-family nodes and left disabled on this machine itself");
        }
        if (!update.Succeeded || !install.Succeeded)
        {
            throw new RequestRefusedException($"apt-get failed: {install.StandardError.Trim()} {update.StandardError.Trim()}");
        }
    }
}
