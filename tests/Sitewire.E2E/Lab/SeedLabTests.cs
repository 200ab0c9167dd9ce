using Sitewire.E2E.Doctor;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

[Collection(LabCollection.Name)]
public class SeedLabTests
{
    private static readonly LabOptions Options = new(LabEngineKind.WireguardGo);

    private static string Example(string name) => Path.Combine(RepositoryPaths.Examples, name);

    [Fact]
    public void Seed_every_flow_passes_both_ways_as_verify_predicts_and_nothing_remains()
    {
        var planned = PlannedLab.Load(Example("seed.yaml"));
        Assert.True(planned.Verification.Passed);
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, Options, _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            Assert.Contains(processes, p => p.CommandLine.Contains("wireguard-go wireguard0", StringComparison.Ordinal));
            var results = lab.RunFlows();

            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
            Assert.Contains(results, r => r.Flow is { FromHost: "pad", ToAddress: "172.17.50.1", Protocol: LabProtocol.Http } && r.Outcome.Reached);
            Assert.Contains(results, r => r.Flow is { FromHost: "desk", ToAddress: "192.168.3.20" } && r.Outcome.Reached);
        }
        LabLeftovers.AssertNone(id, processes);
    }

    [Theory]
    [InlineData(LabEngineKind.WireguardGo)]
    [InlineData(LabEngineKind.Sitewired)]
    public void Seed_broken_fails_exactly_where_verify_says_doctor_names_the_fix_and_the_fix_makes_it_pass(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Example("seed-broken.yaml"));
        var predictedBroken = planned.Verification.Flows.Where(f => !f.Met).Select(f => f.Flow.ToString()).ToList();
        Assert.NotEmpty(predictedBroken);
        var options = Options with { Engine = engine };
        using var lab = LabSession.Start(planned.Blueprint, options, _ => { });

        var results = lab.RunFlows();
        Assert.All(results, r => Assert.True(r.Agrees, $"{r.Flow.Name}: verify {r.Flow.PredictedAllowed}, lab {r.Outcome.Detail}"));
        Assert.Equal(predictedBroken, results.Where(r => !r.MeetsExpectation).Select(r => r.Flow.Name));

        var doctor = LabExec.Run(lab.State, "office", [RepositoryPaths.Sitewire, "doctor", "--json", "wireguard0"], TimeSpan.FromSeconds(60));
        Assert.Equal(1, doctor.ExitCode);
        var problems = DoctorJson.Problems(doctor.StandardOutput);
        var masquerade = Assert.Single(problems);
        Assert.Equal("masquerade ens33", masquerade.Check);
        // office runs firewalld: the fix comes in its form first, with the nft and iptables equivalents.
        Assert.Equal("firewall-cmd --zone=public --add-masquerade && firewall-cmd --permanent --zone=public --add-masquerade", masquerade.Fixes[0]);
        Assert.Single(masquerade.Fixes, f => f.StartsWith("nft ", StringComparison.Ordinal));
        Assert.Contains(masquerade.Fixes, f => f.StartsWith("iptables -t nat -A POSTROUTING", StringComparison.Ordinal) && f.Contains("-o ens33", StringComparison.Ordinal));

        LabExec.Run(lab.State, "office", ["sh", "-c", masquerade.Fixes[0]]).EnsureSuccess();

        var fixedResults = LabFlows.Run(lab.State, options);
        Assert.All(fixedResults, r => Assert.True(r.MeetsExpectation, $"{r.Flow.Name}: {r.Outcome.Detail}"));
        Assert.Equal(0, LabExec.Run(lab.State, "office", [RepositoryPaths.Sitewire, "doctor", "wireguard0"], TimeSpan.FromSeconds(60)).ExitCode);
    }

    [Theory]
    [InlineData("seed.yaml", LabEngineKind.Sitewired)]
    [InlineData("mesh.yaml", LabEngineKind.WireguardGo)]
    [InlineData("mesh.yaml", LabEngineKind.Sitewired)]
    [InlineData("roadwarrior.yaml", LabEngineKind.WireguardGo)]
    [InlineData("roadwarrior.yaml", LabEngineKind.Sitewired)]
    public void Examples_pass_as_verify_predicts(string example, LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Example(example));
        using var lab = LabSession.Start(planned.Blueprint, Options with { Engine = engine }, _ => { });

        var results = lab.RunFlows();

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
    }
}
