using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Cli;

/// <summary>
/// `sitewire import` on the configs the published `sitewire plan` writes for examples/dualstack.yaml:
/// the IPv6 overlay, addresses and LAN prefixes come back, the output is byte-identical from run to
/// run, and planning the imported topology again gives every node the same addresses and AllowedIPs.
/// </summary>
public class ImportCliTests
{
    private static CommandResult Sitewire(params string[] arguments) => SitewireCli.Run(arguments);

    [Fact]
    public void Import_of_the_planned_dual_stack_configs_prints_overlay_v6_address_v6_and_the_ipv6_subnets()
    {
        using var temp = new TemporaryDirectory();
        var configs = PlanDualStack(temp.Path);

        var result = Sitewire(["import", .. configs]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("  overlay: 10.60.0.0/24\n", result.StandardOutput);
        Assert.Contains("  overlay_v6: fd00:60::/64\n", result.StandardOutput);
        Assert.Contains("    address_v6: fd00:60::1\n", result.StandardOutput);
        Assert.Contains("    address_v6: fd00:60::a\n", result.StandardOutput);
        Assert.Contains("    address_v6: fd00:60::14\n", result.StandardOutput);
        Assert.Contains("        - fd00:10:10::/64\n", result.StandardOutput);
        Assert.Contains("        - fd00:10:20::/64\n", result.StandardOutput);
        Assert.Contains("# address_v6: TODO", result.StandardOutput);
        Assert.DoesNotContain("PrivateKey", result.StandardOutput);
    }

    [Fact]
    public void Import_writes_the_same_bytes_every_run_and_the_filled_in_topology_plans_to_the_same_addresses_and_allowed_ips()
    {
        using var temp = new TemporaryDirectory();
        var configs = PlanDualStack(temp.Path);
        var first = Path.Combine(temp.Path, "first.yaml");
        var second = Path.Combine(temp.Path, "second.yaml");

        Sitewire(["import", .. configs, "-o", first]).EnsureSuccess();
        Sitewire(["import", .. configs, "-o", second]).EnsureSuccess();

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var filled = Path.Combine(temp.Path, "filled.yaml");
        File.WriteAllText(filled, File.ReadAllText(first).Replace("os: TODO", "os: ubuntu", StringComparison.Ordinal));
        var replanned = Path.Combine(temp.Path, "replanned");
        var plan = Sitewire("plan", filled, "-o", replanned, "--keys", "node-local");
        Assert.True(plan.ExitCode == 0, plan.StandardOutput + plan.StandardError);
        foreach (var node in new[] { "relay", "hq", "branch" })
        {
            Assert.Equal(
                AddressingLines(Path.Combine(temp.Path, "planned", node, "wg0.conf")),
                AddressingLines(Path.Combine(replanned, node, "wg0.conf")));
        }
    }

    [Fact]
    public void An_ipv6_address_outside_the_overlay_exits_2_naming_the_file_and_field_and_writes_nothing()
    {
        using var temp = new TemporaryDirectory();
        var configs = PlanDualStack(temp.Path);
        var branch = configs.Single(path => path.Contains("/branch/", StringComparison.Ordinal));
        File.WriteAllText(branch, File.ReadAllText(branch).Replace("fd00:60::14/64", "fd00:61::14/64", StringComparison.Ordinal));
        var output = Path.Combine(temp.Path, "imported.yaml");

        var result = Sitewire(["import", .. configs, "-o", output]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{branch}:1:1: error: Address: fd00:61::14/64 lies outside the IPv6 overlay fd00:60::/64", result.StandardError);
        Assert.False(File.Exists(output));
    }

    /// <summary>Plans examples/dualstack.yaml into DIR/planned; the node configs in the order a shell glob gives them.</summary>
    private static string[] PlanDualStack(string directory)
    {
        var planned = Path.Combine(directory, "planned");
        Sitewire("plan", Path.Combine(RepositoryPaths.Examples, "dualstack.yaml"), "-o", planned).EnsureSuccess();
        return [.. Directory.GetDirectories(planned).Select(node => Path.Combine(node, "wg0.conf")).Where(File.Exists).Order(StringComparer.Ordinal)];
    }

    /// <summary>The Address, PublicKey and AllowedIPs lines of a config, order-free (peers follow the order of the nodes in the file).</summary>
    private static string[] AddressingLines(string config) =>
        [.. File.ReadAllLines(config)
            .Where(line => line.StartsWith("Address", StringComparison.Ordinal) || line.StartsWith("AllowedIPs", StringComparison.Ordinal) || line.StartsWith("PublicKey", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
