using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>Through the CLI: a kept lab removed by `lab down`, a failed lab, and a lab killed with SIGKILL then swept by the next run.</summary>
[Collection(LabCollection.Name)]
public class LabCleanupTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public void The_readme_command_runs_the_embedded_seed_on_sitewired_and_leaves_nothing()
    {
        var (exitCode, output) = CliRun.Run(Deadline, "lab");

        Assert.True(exitCode == 0, output);
        Assert.Contains("[lab] topology: seed.yaml (embedded)", output, StringComparison.Ordinal);
        Assert.Contains("[lab] engine: sitewired", output, StringComparison.Ordinal);
        Assert.Contains("; relay, office: firewalld as verify assumes for the RHEL family", output, StringComparison.Ordinal);
        Assert.Contains("[lab] firewalld: relay, office (private system bus each, default zone public)... ok", output, StringComparison.Ordinal);
        Assert.Contains("wg-quick up wireguard0 (sitewired)... ok", output, StringComparison.Ordinal);
        Assert.Contains("[lab] handshakes: 2 kept-up sessions established", output, StringComparison.Ordinal);
        Assert.Contains("4 of 4 flows as verify predicted", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    [Fact]
    public void Lab_down_removes_a_kept_lab()
    {
        var (exitCode, output) = CliRun.Run(Deadline, "lab", "--keep", "--engine", "wireguard-go");
        var id = CliRun.LabId(output);
        var processes = LabLeftovers.Snapshot(id);
        try
        {
            Assert.Equal(0, exitCode);
            Assert.Contains($"sitewire lab down --lab {id}", output, StringComparison.Ordinal);
            Assert.NotEmpty(processes);
            var exec = CliRun.Run(Deadline, "lab", "exec", "--lab", id, "home", "--", "wg", "show", "wireguard0", "latest-handshakes");
            Assert.Equal(0, exec.ExitCode);
        }
        finally
        {
            var down = CliRun.Run(Deadline, "lab", "down", "--lab", id);
            Assert.Equal(0, down.ExitCode);
        }
        LabLeftovers.AssertNone(id, processes);
    }

    [Fact]
    public void Lab_down_without_an_id_names_the_kept_labs_and_removes_none_when_there_are_several()
    {
        var first = CliRun.LabId(CliRun.Run(Deadline, "lab", "--keep", "--engine", "wireguard-go").Output);
        var second = CliRun.LabId(CliRun.Run(Deadline, "lab", "--keep", "--engine", "wireguard-go").Output);
        try
        {
            var (exitCode, output) = CliRun.Run(Deadline, "lab", "down");

            Assert.Equal(2, exitCode);
            Assert.Contains(first, output, StringComparison.Ordinal);
            Assert.Contains(second, output, StringComparison.Ordinal);
            Assert.Contains("--all", output, StringComparison.Ordinal);
            Assert.NotNull(LabState.Load(first));
            Assert.NotNull(LabState.Load(second));
        }
        finally
        {
            Assert.Equal(0, CliRun.Run(Deadline, "lab", "down", "--lab", first).ExitCode);
            Assert.Equal(0, CliRun.Run(Deadline, "lab", "down", "--lab", second).ExitCode);
        }
        LabLeftovers.AssertNone(first, []);
        LabLeftovers.AssertNone(second, []);
    }

    [Fact]
    public void A_failed_lab_leaves_nothing()
    {
        var (exitCode, output) = CliRun.Run(Deadline, "lab", Path.Combine(RepositoryPaths.Examples, "seed-broken.yaml"));

        Assert.Equal(1, exitCode);
        Assert.Contains("lab and verify agree that the design breaks: pad -> web:80/tcp", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    [Fact]
    public async Task Sigterm_removes_the_lab_at_once()
    {
        using var victim = CliRun.Start("lab", "--engine", "wireguard-go");
        var output = victim.StandardOutput.ReadToEndAsync();
        var error = victim.StandardError.ReadToEndAsync();
        string? id = null;
        List<LabProcess> processes = [];
        try
        {
            Assert.True(Poll.Until(() => (id = LabState.All().FirstOrDefault(s => s.OwnerPid == victim.Id)?.Id) is not null
                && (processes = LabLeftovers.Snapshot(id)).Count(p => p.CommandLine.Contains("wireguard-go wireguard0", StringComparison.Ordinal)) == 3, Deadline),
                "the lab never brought its three nodes up");
            Host.Processes.Shell.Run("kill", "-TERM", victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnsureSuccess();
            Assert.True(victim.WaitForExit(Deadline), "sitewire lab did not exit on SIGTERM");
        }
        finally
        {
            if (!victim.HasExited)
            {
                victim.Kill();
            }
        }
        Assert.True(victim.ExitCode == 130, $"exit {victim.ExitCode}, not 130:\n{await output}\n{await error}");
        Assert.Contains(processes, p => p.CommandLine.Contains("/usr/sbin/firewalld --nofork", StringComparison.Ordinal));
        LabLeftovers.AssertNone(id!, processes);
    }

    [Fact]
    public void A_killed_lab_is_removed_by_the_next_run()
    {
        using var victim = CliRun.Start("lab", "--engine", "wireguard-go");
        string? id = null;
        try
        {
            Assert.True(Poll.Until(() => (id = LabState.All().FirstOrDefault(s => s.OwnerPid == victim.Id)?.Id) is not null
                && LabState.Load(id)?.Processes.Count(p => p.CommandLine.Contains("wireguard-go wireguard0", StringComparison.Ordinal)) == 3, Deadline),
                "the lab never brought its three nodes up");
        }
        finally
        {
            victim.Kill();
            victim.WaitForExit();
        }
        var processes = LabLeftovers.Snapshot(id!);
        Assert.Equal(2, processes.Count(p => p.CommandLine.Contains("/usr/sbin/firewalld --nofork", StringComparison.Ordinal)));
        Assert.Equal(2, processes.Count(p => p.CommandLine.StartsWith("dbus-daemon ", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine("/run/netns", LabPaths.NamespaceName(id!, "relay"))), "SIGKILL cannot clean up: the namespaces should still be there");

        var next = CliRun.Run(Deadline, "lab", Path.Combine(RepositoryPaths.Examples, "roadwarrior.yaml"));

        Assert.True(next.ExitCode == 0, next.Output);
        Assert.Contains($"[lab] {id}: left behind by a run that ended", next.Output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(id!, processes);
    }
}
