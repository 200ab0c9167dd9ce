using System.Text.Json;
using Sitewire.Config.Topology;
using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// Through the CLI: the seed's home node (Ubuntu) starts with the firewall verify assumes (FORWARD policy DROP,
/// established/related accepted), so its planned forward accepts are needed for real. Without the tunnel → LAN accept
/// the connection from the office into the home LAN fails, without the LAN → tunnel accept those from the home LAN
/// fail (replies still pass on established/related); doctor, reading the iptables-nft rules as iptables-save prints
/// them, names exactly the dropped direction with its accept as the fix (and nothing else), and the rule put back makes
/// every flow pass and doctor healthy.
/// </summary>
[Collection(LabCollection.Name)]
public class FirewallBaselineLabTests
{
    private const string Tunnel = "wireguard0";
    private const string Lan = "ens3";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(Tunnel, Lan, "desk", "new connections from the tunnel")]
    [InlineData(Lan, Tunnel, "pad", "new connections from the LAN")]
    public void A_planned_forward_accept_deleted_on_the_ubuntu_node_breaks_the_flows_through_it_doctor_names_it_and_the_rule_back_heals_them(
        string inInterface, string outInterface, string brokenFrom, string connections)
    {
        var seed = Path.Combine(RepositoryPaths.Examples, "seed.yaml");
        var planned = PlannedLab.Load(seed);
        Assert.Equal(OsFamily.Ubuntu, planned.Topology.NodeNamed("home").Os);
        var accept = PlannedForwardAccept.Of(planned, "home", "iptables", inInterface, outInterface);

        var (exitCode, output) = CliRun.Run(Deadline, "lab", seed, "--keep", "--engine", "wireguard-go");
        var id = CliRun.LabId(output);
        var processes = LabLeftovers.Snapshot(id);
        try
        {
            Assert.True(exitCode == 0, output);
            Assert.Contains("[lab] starting firewall: home: as verify assumes for Debian/Ubuntu", output, StringComparison.Ordinal);
            var rules = Exec(id, "home", "iptables", "-S", "FORWARD");
            Assert.Contains("-P FORWARD DROP", rules, StringComparison.Ordinal);
            Assert.Contains("-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", rules, StringComparison.Ordinal);
            Assert.Contains(accept.Listed, rules, StringComparison.Ordinal);
            Assert.Contains("-P FORWARD DROP", Exec(id, "home", "ip6tables", "-S", "FORWARD"), StringComparison.Ordinal);

            Assert.All(Doctor(id, expectedExitCode: 0), f => Assert.True(f.Status == "ok", $"{f.Check}: {f.Message}"));

            Exec(id, "home", accept.Delete);

            var broken = Check(id);
            Assert.Equal(1, broken.ExitCode);
            var through = broken.Flows.Where(f => f.From == brokenFrom && f.Allowed).ToList();
            Assert.NotEmpty(through);
            Assert.All(through, f => Assert.False(f.Reached, $"{f.Name} crosses home {inInterface} → {outInterface}: {f.Detail}"));
            Assert.All(broken.Flows.Except(through), f => Assert.True(f.MeetsIntent, $"{f.Name}: {f.Detail}"));

            var blocked = Assert.Single(Doctor(id, expectedExitCode: 1), f => f.Status != "ok");
            Assert.Equal(("problem", $"forward {inInterface}→{outInterface}"), (blocked.Status, blocked.Check));
            Assert.Equal($"IPv4 {inInterface} → {outInterface} ({connections}) is dropped by the policy drop of ip filter FORWARD", blocked.Message);
            Assert.Contains($"iptables -I FORWARD -i {inInterface} -o {outInterface} -j ACCEPT", blocked.Fixes);

            Exec(id, "home", accept.Insert);

            var healed = Check(id);
            Assert.True(healed.ExitCode == 0, string.Join('\n', healed.Flows.Select(f => $"{f.Name}: {f.Detail}")));
            Assert.All(healed.Flows, f => Assert.True(f.MeetsIntent, $"{f.Name}: {f.Detail}"));
            Assert.All(Doctor(id, expectedExitCode: 0), f => Assert.True(f.Status == "ok", $"{f.Check}: {f.Message}"));
        }
        finally
        {
            var down = CliRun.Run(Deadline, "lab", "down", "--lab", id);
            Assert.True(down.ExitCode == 0, down.Output);
        }
        LabLeftovers.AssertNone(id, processes);
    }

    private static string Exec(string id, string host, params string[] command)
    {
        var (exitCode, output) = CliRun.Run(Deadline, ["lab", "exec", "--lab", id, host, "--", .. command]);
        Assert.True(exitCode == 0, $"{string.Join(' ', command)}: {output}");
        return output;
    }

    private static IReadOnlyList<DoctorFindingJson> Doctor(string id, int expectedExitCode)
    {
        var doctor = CliRun.RunSeparately(Deadline, "lab", "exec", "--lab", id, "home", "--", "sitewire", "doctor", Tunnel, "--json");
        Assert.True(doctor.ExitCode == expectedExitCode, doctor.StandardOutput + doctor.StandardError);
        return DoctorJson.Parse(doctor.StandardOutput);
    }

    private static (int ExitCode, IReadOnlyList<CheckedFlow> Flows) Check(string id)
    {
        var (exitCode, standardOutput, standardError) = CliRun.RunSeparately(Deadline, "lab", "check", "--lab", id, "--json");
        Assert.True(exitCode is 0 or 1, standardError);
        JsonContract.AssertValid(standardOutput, "lab");
        using var json = JsonDocument.Parse(standardOutput);
        var flows = json.RootElement.GetProperty("flows").EnumerateArray().Select(f => new CheckedFlow(
            f.GetProperty("flow").GetString()!,
            f.GetProperty("from").GetString()!,
            f.GetProperty("to").GetString()!,
            f.GetProperty("observed").GetString() == "passes",
            f.GetProperty("expect").GetString() == "allow",
            f.GetProperty("detail").GetString()!)).ToList();
        Assert.Equal(4, flows.Count);
        return (exitCode, flows);
    }

    private sealed record CheckedFlow(string Name, string From, string To, bool Reached, bool Allowed, string Detail)
    {
        public bool MeetsIntent => Reached == Allowed;
    }
}
