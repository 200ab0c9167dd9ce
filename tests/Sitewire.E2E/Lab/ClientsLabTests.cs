using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// examples/clients.yaml for real, with each userspace engine (issue 18 item 2): two full-tunnel clients (Android,
/// Windows) reach a web server on the lab's Internet (a namespace beyond the relay's uplink, which routes only to public
/// addresses, so only a masqueraded request gets an answer) through the relay, whose planned masquerade is in place; a
/// split-tunnel iPad reaches it over its own uplink; a route-only printer on the Rocky office's routed LAN answers and
/// opens connections to the other site through its static route while its default gateway stays its own router; every
/// flow as verify predicts.
/// </summary>
[Collection(LabCollection.Name)]
public class ClientsLabTests
{
    [Theory]
    [InlineData(LabEngineKind.Sitewired)]
    [InlineData(LabEngineKind.WireguardGo)]
    public void Full_tunnel_clients_reach_the_internet_host_through_the_exit_and_a_route_only_host_the_remote_site(LabEngineKind engine)
    {
        var planned = PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "clients.yaml"));
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, new LabOptions(engine), _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            var masquerade = FirewalldLabTests.Exec(lab.State, "relay", "iptables -t nat -S POSTROUTING");
            Assert.Contains("-A POSTROUTING -s 10.210.0.20/32 -o eth0", masquerade, StringComparison.Ordinal);
            Assert.Contains("-A POSTROUTING -s 10.210.0.22/32 -o eth0", masquerade, StringComparison.Ordinal);
            Assert.Contains("0.0.0.0/0", FirewalldLabTests.Exec(lab.State, "phone", "wg show wg0 allowed-ips"), StringComparison.Ordinal);
            var printerRoutes = FirewalldLabTests.Exec(lab.State, "printer", "ip -4 route show");
            Assert.Contains("default via 10.20.0.254 dev eth0", printerRoutes, StringComparison.Ordinal);
            Assert.Contains("10.210.0.0/24 via 10.20.0.1 dev eth0", printerRoutes, StringComparison.Ordinal);
            Assert.Contains("192.168.7.0/24 via 10.20.0.1 dev eth0", printerRoutes, StringComparison.Ordinal);

            var results = lab.RunFlows();

            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.Equal(10, results.Count);
            Assert.Equal(3, results.Count(r => r.Flow.ToAddress == "198.51.100.80" && r.Outcome.Reached));
        }
        LabLeftovers.AssertNone(id, processes);
    }

    [Fact]
    public void A_rocky_exit_with_firewalld_carries_the_full_tunnel_through_its_nftables_masquerade()
    {
        var planned = PlannedLab.Load(RepositoryPaths.LabTopology("clients-rocky-exit.yaml"));
        string id;
        List<LabProcess> processes;
        using (var lab = LabSession.Start(planned.Blueprint, new LabOptions(LabEngineKind.Sitewired), _ => { }))
        {
            id = lab.State.Id;
            processes = LabLeftovers.Snapshot(id);
            var table = FirewalldLabTests.Exec(lab.State, "relay", "nft list table inet sitewire_wg0");
            Assert.Contains("oifname \"eth0\" ip saddr 10.210.0.20 masquerade", table, StringComparison.Ordinal);
            Assert.Contains("wg0", FirewalldLabTests.Exec(lab.State, "relay", "firewall-cmd --zone=public --list-interfaces"), StringComparison.Ordinal);

            var results = lab.RunFlows();

            Assert.All(results, r => Assert.True(r.Agrees && r.MeetsExpectation, $"{r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
            Assert.Equal(3, results.Count(r => r.Flow.ToAddress == "198.51.100.80" && r.Outcome.Reached));
        }
        LabLeftovers.AssertNone(id, processes);
    }
}
