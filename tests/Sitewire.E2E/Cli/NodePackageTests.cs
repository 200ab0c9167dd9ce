using System.Runtime.InteropServices;
using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;
using Sitewire.Host.Processes;
using Sitewire.Planner.Plan;

namespace Sitewire.E2E.Cli;

/// <summary>
/// The node install (README "Install on a node"): scripts/package.sh packs the binaries of artifacts/bin, which the lab
/// and every other test run; the package's install.sh installs exactly its files; the installed CLI runs `doctor` in a
/// lab node where no .NET runtime can be reached.
/// </summary>
[Collection(LabCollection.Name)]
public class NodePackageTests
{
    private static readonly Lazy<string> Tarball = new(() =>
        Shell.Run(Path.Combine(RepositoryPaths.Root, "scripts", "package.sh"), [], TimeSpan.FromSeconds(120)).EnsureSuccess().StandardOutput.Trim());

    private static readonly string[] Installed =
    [
        "etc/systemd/system/sitewire-failover@.service 644",
        "usr/local/bin/sitewire -> ../lib/sitewire/sitewire",
        "usr/local/bin/sitewired -> ../lib/sitewire/sitewired",
        "usr/local/lib/sitewire/libsodium.so 644",
        "usr/local/lib/sitewire/sitewire 755",
        "usr/local/lib/sitewire/sitewired 755",
    ];

    [Fact]
    public void Install_puts_exactly_its_files_with_their_modes_and_uninstall_removes_them()
    {
        using var temp = new TemporaryDirectory();
        var root = Path.Combine(temp.Path, "root");

        var output = Install(temp.Path, root);

        Assert.Equal(Installed, Listing(root));
        Assert.Contains("installed in /usr/local/lib/sitewire", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(RepositoryPaths.Sitewire), File.ReadAllBytes(Path.Combine(root, "usr/local/lib/sitewire/sitewire")));
        Assert.Equal(File.ReadAllBytes(RepositoryPaths.Sitewired), File.ReadAllBytes(Path.Combine(root, "usr/local/lib/sitewire/sitewired")));
        Assert.Equal(FailoverAgentPlanner.Unit(), File.ReadAllText(Path.Combine(root, "etc/systemd/system/sitewire-failover@.service")));

        Install(temp.Path, root, "--userspace");
        Assert.Equal([.. Installed.Append("etc/systemd/system/wg-quick@.service.d/sitewired.conf 644").Order(StringComparer.Ordinal)], Listing(root));
        Assert.Equal(
            "[Service]\nEnvironment=WG_QUICK_USERSPACE_IMPLEMENTATION=/usr/local/bin/sitewired\n",
            File.ReadAllText(Path.Combine(root, "etc/systemd/system/wg-quick@.service.d/sitewired.conf")));

        Install(temp.Path, root, "--uninstall");
        Assert.Empty(Listing(root));
    }

    [Fact]
    public void Installed_cli_runs_doctor_in_a_lab_node_where_no_dotnet_runtime_can_be_reached()
    {
        using var temp = new TemporaryDirectory();
        var root = Path.Combine(temp.Path, "root");
        Install(temp.Path, root);
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "seed.yaml"));
        using var lab = LabSession.Start(planned.Blueprint, new LabOptions(LabEngineKind.Sitewired), _ => { });
        // This test's own runtime (…/shared/Microsoft.NETCore.App/VERSION/) lives three levels below the .NET root.
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var doctor = LabExec.Run(lab.State, "office",
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", WithoutDotnet, "sh", dotnetRoot, Path.Combine(home, ".dotnet"),
                Path.Combine(root, "usr/local/bin/sitewire"), "doctor", "wireguard0"],
            TimeSpan.FromSeconds(60));
        SitewireCli.Observe(["doctor", "wireguard0"], doctor.StandardOutput, doctor.StandardError);

        Assert.True(doctor.ExitCode == 0, $"doctor exited {doctor.ExitCode}:\n{doctor.StandardOutput}{doctor.StandardError}");
        Assert.Contains("doctor: wireguard0: healthy", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", doctor.StandardError);
    }

    /// <summary>
    /// sh -c WithoutDotnet sh DOTNET_ROOT USER_DOTNET COMMAND...: hides both .NET folders under empty tmpfs mounts (in a
    /// mount namespace of its own), fails with 99 if the runtime is still there or `dotnet` still starts, then runs COMMAND with a PATH of system
    /// folders only and no DOTNET_* variable (the node's system bus address kept for firewall-cmd).
    /// </summary>
    private const string WithoutDotnet = """
        set -e
        for dir in "$1" "$2"; do if [ -d "$dir" ]; then mount -t tmpfs none "$dir"; fi; done
        if [ -e "$1/shared" ] || PATH=/usr/sbin:/usr/bin:/sbin:/bin dotnet --info >/dev/null 2>&1; then
          echo "a .NET runtime is still reachable" >&2; exit 99
        fi
        shift 2
        exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" "$@"
        """;

    private static string Install(string directory, string root, params string[] options)
    {
        var unpacked = Path.Combine(directory, "package");
        if (!Directory.Exists(unpacked))
        {
            Directory.CreateDirectory(unpacked);
            Shell.Run("tar", ["-xzf", Tarball.Value, "-C", unpacked, "--strip-components=1"]).EnsureSuccess();
        }
        return Shell.Run(Path.Combine(unpacked, "install.sh"), options, TimeSpan.FromSeconds(30), environment: new Dictionary<string, string> { ["DESTDIR"] = root })
            .EnsureSuccess().StandardOutput;
    }

    /// <summary>Every file and link under ROOT (directories aside): "PATH MODE" or "PATH -> TARGET", sorted.</summary>
    private static string[] Listing(string root) =>
    [
        .. Shell.Check("find", root, "-mindepth", "1", "(", "-type", "f", "-printf", "%P %m\\n", ")", "-o", "(", "-type", "l", "-printf", "%P -> %l\\n", ")")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal),
    ];
}
