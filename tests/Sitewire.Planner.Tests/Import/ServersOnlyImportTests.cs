using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Import;

namespace Sitewire.Planner.Tests.Import;

/// <summary>
/// Issue 18, item 3: the usual import has the servers' configs only (the phone's lives on the phone). Before, the phone
/// was dropped, the relay came back as a site in a mesh, and the full tunnel, DNS, firewalld masquerade and the admin's
/// own PostUp lines were lost. Import/Configs/phone is that deployment.
/// </summary>
public sealed class ServersOnlyImportTests
{
    private static readonly ImportedTopology Imported = ConfigImporter.Import(ImportedConfigs.Load("phone"));

    private static ImportedNode Node(string name) => Imported.Nodes.Single(node => node.Name == name);

    [Fact]
    public void The_three_server_case_keeps_the_phone_as_a_client_with_its_key_and_address()
    {
        var phone = Node("phone");

        Assert.Equal((null, NodeRole.Client, IPAddress.Parse("10.8.0.10")), (phone.SourceFile, phone.Role, phone.OverlayAddress));
        Assert.Equal("YwqOQ+pBjl3HErn+D4d3y78SKWlRm5GOTWlAER7tISY=", phone.PublicKey.ToBase64());
        Assert.Contains("(a phone or laptop?)", ImportYamlWriter.Write(Imported), StringComparison.Ordinal);
    }

    [Fact]
    public void The_hub_is_recognised_from_the_star_with_the_phone_counted()
    {
        Assert.Equal((NetworkShape.Hub, "relay", NodeRole.Relay), (Imported.Shape, Imported.Hub, Node("relay").Role));
    }

    [Fact]
    public void Full_tunnel_dns_firewalld_masquerade_and_unknown_lines_are_kept()
    {
        var fullTunnel = Assert.Single(Node("home").Overrides.AllowedIps);
        Assert.Equal(("relay", IPNetwork.Parse("0.0.0.0/0")), (fullTunnel.Peer, Assert.Single(fullTunnel.Extra)));
        Assert.Empty(fullTunnel.Missing);
        Assert.Equal(["10.30.0.53"], Node("home").Dns);
        Assert.Equal((NatMode.Masquerade, (string?)null, NodeRole.Site), (Node("office").Nat, Node("office").LanInterface, Node("office").Role));
        Assert.Equal(["/usr/local/bin/notify-up.sh %i"], Node("office").Overrides.PostUp);
        Assert.Equal("eth0", Node("relay").PublicInterface);
        Assert.Equal(["iptables -A FORWARD -i %i -j ACCEPT", "iptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE"], Node("relay").Overrides.PostUp);
        Assert.Equal(["iptables -D FORWARD -i %i -j ACCEPT", "iptables -t nat -D POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE"], Node("relay").Overrides.PostDown);
        var yaml = ImportYamlWriter.Write(Imported);
        Assert.Contains("# DNS = 10.30.0.53 in its config", yaml, StringComparison.Ordinal);
        Assert.Contains("      - \"/usr/local/bin/notify-up.sh %i\"\n", yaml, StringComparison.Ordinal);
    }

    /// <summary>DNS is a comment, not a fact a plan writes, so it is the one line the second import cannot see.</summary>
    [Fact]
    public void Round_trip_import_plan_import_gives_the_same_topology()
    {
        var yaml = ImportYamlWriter.Write(Imported)
            .Replace("      interface: TODO          # the interface facing these subnets, e.g. eth1\n", "      interface: eth1\n", StringComparison.Ordinal);
        var planned = ImportedConfigs.Planned(ImportedConfigs.Fill(yaml), PlanKeysSource.DeclaredPublicKeys)
            .Where(entry => !entry.Path.Contains("/phone/", StringComparison.Ordinal)).ToList();

        var again = ConfigImporter.Import(planned);

        var expected = string.Join('\n', yaml.Split('\n').Skip(1).Where(line => !line.Contains("# DNS = ", StringComparison.Ordinal)));
        Assert.Equal(expected, ImportedConfigs.WithoutSources(again));
        Assert.Null(again.Nodes.Single(node => node.Name == "phone").SourceFile);
    }
}
