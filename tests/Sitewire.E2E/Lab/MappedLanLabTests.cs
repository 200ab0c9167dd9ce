using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// examples/overlapping.yaml for real: two home LANs that are both 192.168.1.0/24 with a host at 192.168.1.10 in each,
/// mapped on their nodes (home-a: iptables NETMAP, home-b: nftables prefix NAT beside a running firewalld) to
/// 10.201.1.0/24 and 10.201.2.0/24; every flow as verify predicts, the hooks idempotent and exactly removed, and a
/// deleted map breaking exactly the flows through it, named by doctor with the fix that puts it back.
/// </summary>
[Collection(LabCollection.Name)]
public class MappedLanLabTests
{
    private static readonly string Example = Path.Combine(RepositoryPaths.Examples, "overlapping.yaml");

    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Hosts_with_the_same_address_in_two_sites_reach_each_other_at_their_mapped_addresses(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Example);
        Assert.True(planned.Verification.Passed);
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, new LabOptions(engine), _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);

            var results = lab.RunFlows();

            Assert.Equal(9, results.Count);
            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.Contains(results, r => r.Flow is { FromHost: "pc-a", ToAddress: "10.201.2.10", Port: 5000 } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "pc-b", ToAddress: "10.201.1.10", Port: 22 } && r.Outcome.Reached);
        }
        LabLeftovers.AssertNone(id, processes);
    }

    [Fact]
    public void The_maps_are_idempotent_removed_exactly_and_a_deleted_one_breaks_exactly_the_flows_through_it_and_doctor_names_it()
    {
        var planned = PlannedLab.Load(Example);
        var options = new LabOptions(LabEngineKind.Sitewired);
        using var lab = LabSession.Start(planned.Blueprint, options, _ => { });
        var homeA = planned.Plan.Nodes.Single(n => n.Name == "home-a").Hooks;
        var homeB = planned.Plan.Nodes.Single(n => n.Name == "home-b").Hooks;
        string Shell(string host, string line) => LabExec.Run(lab.State, host, ["sh", "-c", line.Replace("%i", "wg0", StringComparison.Ordinal)]).EnsureSuccess().StandardOutput;
        int Netmaps() => Shell("home-a", "iptables-save -t nat").Split('\n').Count(line => line.Contains("-j NETMAP", StringComparison.Ordinal));
        string HomeBTable() => Shell("home-b", "nft list table inet sitewire_wg0");

        foreach (var line in homeA.PostUp.Where(line => line.Contains("NETMAP", StringComparison.Ordinal)))
        {
            Shell("home-a", line);
        }
        Shell("home-b", Assert.Single(homeB.PostUp, line => line.StartsWith("nft ", StringComparison.Ordinal)));
        Assert.Equal(2, Netmaps());
        Assert.Single(HomeBTable().Split('\n'), line => line.Contains("dnat ip prefix to 192.168.1.0/24", StringComparison.Ordinal));
        Assert.Single(HomeBTable().Split('\n'), line => line.Contains("snat ip prefix to 10.201.2.0/24", StringComparison.Ordinal));

        Shell("home-a", Assert.Single(homeA.PostDown, line => line.Contains("POSTROUTING", StringComparison.Ordinal) && line.Contains("NETMAP", StringComparison.Ordinal)));
        Assert.Equal(1, Netmaps());
        var results = LabFlows.Run(lab.State, options);

        Assert.Equal(
            ["pc-a -> pc-b:5000/tcp (allow)", "pc-a -> pc-b (allow)", "pc-a -> desk (allow)"],
            results.Where(r => !r.Outcome.Reached).Select(r => r.Flow.Name).Where(name => !name.EndsWith("(deny)", StringComparison.Ordinal)));
        string[] asPlanned = ["--topology", Example, "--node", "home-a"];
        var missing = Assert.Single(DoctorJson.Problems(lab.State, "home-a", "wg0", asPlanned));
        Assert.Equal("prefix map 192.168.1.0/24 → 10.201.1.0/24 (source)", missing.Check);
        Assert.Equal("iptables -t nat -I POSTROUTING -s 192.168.1.0/24 -o wg0 -j NETMAP --to 10.201.1.0/24", missing.Fixes[0]);
        Shell("home-a", missing.Fixes[0]);
        Assert.Empty(DoctorJson.Problems(lab.State, "home-a", "wg0", asPlanned));
        Assert.Empty(DoctorJson.Problems(lab.State, "home-b", "wg0", ["--topology", Example, "--node", "home-b"]));

        foreach (var line in homeA.PostDown)
        {
            Shell("home-a", line);
        }
        Shell("home-b", Assert.Single(homeB.PostDown, line => line.StartsWith("nft ", StringComparison.Ordinal)));
        Assert.DoesNotContain("sitewire-wg0", Shell("home-a", "iptables-save"), StringComparison.Ordinal);
        Assert.DoesNotContain("sitewire_wg0", Shell("home-b", "nft list tables"), StringComparison.Ordinal);
    }
}
