using Sitewire.Planner.Import;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Import;

/// <summary>
/// A client's <c>DNS =</c> comes back as its <c>dns:</c> (a fact the plan writes again), a server's stays a comment; a
/// client's <c>os</c> TODO offers the client-device families.
/// </summary>
public sealed class ClientImportTests
{
    [Fact]
    public void A_clients_dns_is_imported_as_its_dns_field_and_loads_again()
    {
        var topology = PlanFixtures.Load(PlanFixtures.Example("clients.yaml"));
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));

        var yaml = ImportYamlWriter.Write(ConfigImporter.Import(ImportedConfigs.Written(plan)));

        Assert.Contains("    dns: [\"10.20.0.53\", \"1.1.1.1\"]\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("# DNS = ", yaml, StringComparison.Ordinal);
        Assert.Contains("    os: TODO                 # android | ios | windows | macos | linux, or a server's", yaml, StringComparison.Ordinal);
        var filled = System.Text.RegularExpressions.Regex.Replace(yaml.Replace("interface: TODO ", "interface: eth1 #", StringComparison.Ordinal), "nat: TODO.*", "nat: routed");
        var again = ImportedConfigs.Fill(filled);
        Assert.Equal(["10.20.0.53", "1.1.1.1"], again.NodeNamed("laptop").DnsServers.Select(server => server.ToString()));
    }
}
