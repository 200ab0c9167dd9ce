using Sitewire.E2E.Infrastructure;
using Sitewire.E2E.Lab;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Doctor;

/// <summary>The seed lab, kept for the class: doctor on healthy nodes reports nothing; each injected fault is reported, alone.</summary>
public sealed class SeedLabFixture : IDisposable
{
    private readonly LoggedLab _lab = new(PlannedLab.Load(Path.Combine(RepositoryPaths.Examples, "seed.yaml")).Blueprint, new LabOptions(LabEngineKind.WireguardGo));

    public SeedLabFixture() => _lab.AssertFlowsAsPredicted();

    public LabSession Lab => _lab.Session;

    public void Dispose() => _lab.Dispose();
}

[Collection(LabCollection.Name)]
public class DoctorFaultTests(SeedLabFixture fixture) : IClassFixture<SeedLabFixture>
{
    private LabState State => fixture.Lab.State;

    [Theory]
    [InlineData("relay")]
    [InlineData("office")]
    [InlineData("home")]
    public void Healthy_nodes_have_no_problem(string node) => Assert.Empty(Problems(node));

    [Fact]
    public void Forwarding_off() =>
        WithFault("office", "sysctl -w net.ipv4.ip_forward=0", "sysctl -w net.ipv4.ip_forward=1", ["ip_forward"]);

    [Fact]
    public void Masquerade_removed() =>
        WithFault("office", "nft flush chain inet sitewire_wireguard0 postrouting",
            "nft add rule inet sitewire_wireguard0 postrouting ip saddr '{ 192.168.200.0/24, 192.168.3.0/24 }' oifname ens33 masquerade", ["masquerade ens33"]);

    [Fact]
    public void Port_blocked_with_nft() =>
        WithFault("relay", "nft 'add table inet swfault; add chain inet swfault input { type filter hook input priority 0; policy accept; }; add rule inet swfault input udp dport 51820 drop'",
            "nft delete table inet swfault", ["udp port"]);

    [Fact]
    public void Route_deleted() =>
        WithFault("home", "ip route del 172.18.3.0/24 dev wireguard0", "ip route add 172.18.3.0/24 dev wireguard0", ["routes"]);

    [Fact]
    public void Keepalive_removed_behind_nat()
    {
        var relay = Run("home", "wg show wireguard0 peers").Trim();
        WithFault("home", $"wg set wireguard0 peer {relay} persistent-keepalive 0", $"wg set wireguard0 peer {relay} persistent-keepalive 20", [$"keepalive peer {relay[..8]}…"], prefixMatch: true);
    }

    [Fact]
    public void Drift_against_the_plan_names_what_changed()
    {
        var seed = Path.Combine(RepositoryPaths.Examples, "seed.yaml");
        Assert.Empty(Problems("office", "--topology", seed, "--node", "office"));
        var relay = Run("home", "wg show wireguard0 peers").Trim();
        Run("home", $"wg set wireguard0 peer {relay} persistent-keepalive 0");
        try
        {
            var problems = Problems("home", "--topology", seed, "--node", "home");
            Assert.Contains(problems, p => p.Check == "drift peer relay" && p.Message == "planned PersistentKeepalive 20, live off");
        }
        finally
        {
            Run("home", $"wg set wireguard0 peer {relay} persistent-keepalive 20");
        }
    }

    private void WithFault(string node, string inject, string revert, string[] expected, bool prefixMatch = false)
    {
        Run(node, inject);
        try
        {
            var problems = Problems(node).Select(p => p.Check).ToList();
            if (prefixMatch)
            {
                Assert.Single(problems);
                Assert.StartsWith(expected[0], problems[0], StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(expected, problems);
            }
        }
        finally
        {
            Run(node, revert);
        }
        Assert.Empty(Problems(node));
    }

    private IReadOnlyList<DoctorFindingJson> Problems(string node, params string[] options) => DoctorJson.Problems(State, node, "wireguard0", options);

    private string Run(string node, string command) => LabExec.Run(State, node, ["sh", "-c", command], TimeSpan.FromSeconds(30)).EnsureSuccess().StandardOutput;
}
