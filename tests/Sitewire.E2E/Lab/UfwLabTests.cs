using System.Text.Json;
using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// Through the CLI, Debian's ufw enabled on the seed's relay (its default: deny incoming, forward policy DROP), the way an
/// admin hardens a VPS, with a `ufw route deny in on wireguard0` that forbids forwarding what comes out of the tunnel. ufw
/// drops the new connections the relay forwards between its peers (by that rule) and the handshakes of peers that would dial
/// in (by its policy). `verify --live` on the lab's snapshots predicts exactly the flows the lab measures broken; the doctor
/// on the relay names both drops as ufw's, with ufw's own commands as the fixes (not iptables inserts that ufw drops on
/// reload; the route rule inserted above the deny); with those two commands run, the doctor is healthy and every flow passes.
/// ufw runs on copies of the host's /etc/ufw and /etc/default/ufw that `ip netns exec` mounts over /etc for the relay's
/// commands only, so the host's ufw configuration is never touched; the lab's teardown removes them with its namespace.
/// </summary>
[Collection(LabCollection.Name)]
public class UfwLabTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public void Ufw_on_the_relay_breaks_what_verify_live_predicts_and_the_doctors_ufw_commands_heal_it()
    {
        var seed = Path.Combine(RepositoryPaths.Examples, "seed.yaml");
        var (exitCode, output) = CliRun.Run(Deadline, "lab", seed, "--keep", "--engine", "sitewired");
        var id = CliRun.LabId(output);
        var processes = LabLeftovers.Snapshot(id);
        try
        {
            Assert.True(exitCode == 0, output);
            ConfigureUfwInside(LabState.Load(id)!.NamespaceOf("relay"));
            Exec(id, "relay", "ufw", "--force", "enable");
            Exec(id, "relay", "ufw", "route", "deny", "in", "on", "wireguard0");

            var measured = Check(id);
            Assert.Equal(1, measured.ExitCode);
            Assert.Equal(4, measured.Passing.Count);
            Assert.All(measured.Passing, flow => Assert.False(flow.Value, $"{flow.Key} passes through the relay's ufw"));
            Assert.Equal(measured.Passing, PredictedByVerifyLive(id, seed));

            var problems = Doctor(id, expectedExitCode: 1).Where(f => f.Status != "ok").ToList();
            Assert.Equal(["udp port", "forward wireguard0→wireguard0"], problems.Select(p => p.Check));
            Assert.All(problems, p => Assert.Equal("problem", p.Status));
            Assert.Contains("dropped by the policy drop of ip filter INPUT, ufw's firewall (ufw's default incoming policy is DROP", problems[0].Message, StringComparison.Ordinal);
            Assert.Equal(["ufw allow in on eth0 to any port 51820 proto udp"], problems[0].Fixes);
            Assert.Contains("-A ufw-user-forward -i wireguard0 -j DROP`, ufw's firewall", problems[1].Message, StringComparison.Ordinal);
            Assert.Equal(["ufw route insert 1 allow in on wireguard0 out on wireguard0"], problems[1].Fixes);

            foreach (var fix in problems.SelectMany(p => p.Fixes))
            {
                Exec(id, "relay", fix.Split(' '));
            }

            Assert.All(Doctor(id, expectedExitCode: 0), f => Assert.True(f.Status == "ok", $"{f.Check}: {f.Message}"));
            var healed = Check(id);
            Assert.True(healed.ExitCode == 0, string.Join('\n', healed.Passing));
        }
        finally
        {
            var down = CliRun.Run(Deadline, "lab", "down", "--lab", id);
            Assert.True(down.ExitCode == 0, down.Output);
        }
        LabLeftovers.AssertNone(id, processes);
    }

    /// <summary>The host's ufw configuration copied to where `ip netns exec` mounts it over /etc/ufw and /etc/default for the namespace.</summary>
    private static void ConfigureUfwInside(string namespaceName)
    {
        var etc = LabPaths.EtcDirectory(namespaceName);
        Assert.True(Directory.Exists(etc), $"{etc} is not there: ufw would run on the host's configuration");
        Directory.CreateDirectory(Path.Combine(etc, "ufw"));
        foreach (var file in Directory.EnumerateFiles("/etc/ufw", "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(etc, "ufw", Path.GetRelativePath("/etc/ufw", file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        Directory.CreateDirectory(Path.Combine(etc, "default"));
        File.Copy("/etc/default/ufw", Path.Combine(etc, "default", "ufw"));
    }

    private static Dictionary<string, bool> PredictedByVerifyLive(string id, string seed)
    {
        using var directory = new TemporaryDirectory();
        var (taken, snapshotOutput) = CliRun.Run(Deadline, "lab", "snapshot", "--lab", id, "--out", directory.Path);
        Assert.True(taken == 0, snapshotOutput);
        var (exitCode, standardOutput, standardError) = CliRun.RunSeparately(Deadline, "verify", seed, "--live", directory.Path, "--json");
        Assert.True(exitCode == 1, standardOutput + standardError);
        JsonContract.AssertValid(standardOutput, "verify");
        using var json = JsonDocument.Parse(standardOutput);
        return json.RootElement.GetProperty("flows").EnumerateArray()
            .ToDictionary(f => f.GetProperty("flow").GetString()!, f => f.GetProperty("passes").GetBoolean());
    }

    private static (int ExitCode, Dictionary<string, bool> Passing) Check(string id)
    {
        var (exitCode, standardOutput, standardError) = CliRun.RunSeparately(Deadline, "lab", "check", "--lab", id, "--json");
        Assert.True(exitCode is 0 or 1, standardError);
        JsonContract.AssertValid(standardOutput, "lab");
        using var json = JsonDocument.Parse(standardOutput);
        return (exitCode, json.RootElement.GetProperty("flows").EnumerateArray()
            .ToDictionary(f => f.GetProperty("flow").GetString()!, f => f.GetProperty("observed").GetString() == "passes"));
    }

    private static IReadOnlyList<DoctorFindingJson> Doctor(string id, int expectedExitCode)
    {
        var doctor = CliRun.RunSeparately(Deadline, "lab", "exec", "--lab", id, "relay", "--", "sitewire", "doctor", "wireguard0", "--json");
        Assert.True(doctor.ExitCode == expectedExitCode, doctor.StandardOutput + doctor.StandardError);
        return DoctorJson.Parse(doctor.StandardOutput);
    }

    private static void Exec(string id, string host, params string[] command)
    {
        var (exitCode, output) = CliRun.Run(Deadline, ["lab", "exec", "--lab", id, host, "--", .. command]);
        Assert.True(exitCode == 0, $"{string.Join(' ', command)}: {output}");
    }
}
