using Sitewire.E2E.Infrastructure;

namespace Sitewire.E2E.Lab;

/// <summary>Topologies that once broke the lab (Topologies/*.yaml), run through the CLI with each userspace engine: every flow as verify predicted, nothing left behind.</summary>
[Collection(LabCollection.Name)]
public class RegressionLabTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("shared-lan-router.yaml", 3, "sitewired")]
    [InlineData("shared-lan-router.yaml", 3, "wireguard-go")]
    [InlineData("ipv6-only-lan.yaml", 3, "sitewired")]
    [InlineData("ipv6-only-lan.yaml", 3, "wireguard-go")]
    [InlineData("port-forward.yaml", 2, "sitewired")]
    [InlineData("port-forward.yaml", 2, "wireguard-go")]
    [InlineData("declared-keys.yaml", 1, "sitewired")]
    [InlineData("onlink-subnet-router.yaml", 2, "sitewired")]
    [InlineData("nested-lans.yaml", 2, "sitewired")]
    [InlineData("ipv6-source-from-lan.yaml", 1, "sitewired")]
    [InlineData("one-armed-node.yaml", 2, "sitewired")]
    [InlineData("one-armed-node.yaml", 2, "wireguard-go")]
    [InlineData("shared-public-ip.yaml", 2, "sitewired")]
    [InlineData("shared-public-ip.yaml", 2, "wireguard-go")]
    [InlineData("lab-addresses.yaml", 2, "sitewired")]
    public void Regression_topology_runs_every_flow_as_verify_predicts(string topology, int flows, string engine)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", topology);

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path, "--engine", engine);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("File exists", output, StringComparison.Ordinal);
        Assert.Contains($"{flows} of {flows} flows as verify predicted", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    [Fact]
    public void Nodes_that_declare_a_public_key_run_on_throwaway_keys_and_the_lab_says_so()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "declared-keys.yaml");

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path);

        Assert.True(exitCode == 0, output);
        Assert.Contains("[lab] keys: relay, site run on throwaway key pairs", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    [Theory]
    [InlineData("endpoint-port-typo.yaml", 1)]
    [InlineData("overlapping-lans.yaml", 2)]
    [InlineData("redirect-around-node.yaml", 2)]
    [InlineData("reply-through-node.yaml", 2)]
    [InlineData("reply-through-firewalld.yaml", 2)]
    [InlineData("tcp-reply-around-firewalld.yaml", 2)]
    [InlineData("idle-sessions.yaml", 4)]
    public void A_design_that_breaks_breaks_for_real_exactly_where_verify_says(string topology, int flows)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", topology);

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"{flows} of {flows} flows as verify predicted", output, StringComparison.Ordinal);
        Assert.Contains("lab and verify agree that the design breaks", output, StringComparison.Ordinal);
        Assert.DoesNotContain("File exists", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    [Fact]
    public void A_host_router_at_the_nodes_own_lan_address_is_refused_before_anything_is_built()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "router-is-node.yaml");

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path);

        Assert.True(exitCode == 2, output);
        Assert.Contains("router-is-node.yaml:31:13: error: hosts[1].router: 10.3.0.1 is office's own LAN address, not a LAN router's", output, StringComparison.Ordinal);
        Assert.DoesNotContain("namespaces", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_design_verify_fails_on_an_error_finding_fails_the_lab_even_when_its_flows_pass()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "verify-error-flows-pass.yaml");

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path);

        Assert.True(exitCode == 1, output);
        Assert.Contains("1 of 1 flows as verify predicted", output, StringComparison.Ordinal);
        Assert.Contains("[lab] verify failed on 1 error finding (see `sitewire verify`)", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }

    [Fact]
    public void A_deny_flow_the_host_refuses_is_refused_in_verify_and_the_lab_and_is_no_isolation()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.E2E", "Lab", "Topologies", "deny-refused-by-host.yaml");

        var (exitCode, output) = CliRun.Run(Deadline, "lab", path);

        Assert.True(exitCode == 1, output);
        Assert.Contains("2 of 2 flows as verify predicted", output, StringComparison.Ordinal);
        Assert.Matches(@"laptop -> desk:23/tcp \(deny\)\s+refused\s+refused \(connection refused\)", output);
        Assert.Contains("lab and verify agree that the design breaks: laptop -> desk:23/tcp (deny)", output, StringComparison.Ordinal);
        LabLeftovers.AssertNone(CliRun.LabId(output), []);
    }
}
