using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// Which sessions the lab opens from one side before its flows: exactly the pairs of nodes that dial each other (each
/// has the other as a peer with an Endpoint), once, from the node whose name sorts first, to an address of the other
/// that the initiator routes to it. A node behind NAT is dialed by nobody: its sessions come up by its keepalives.
/// </summary>
public class LabSessionPairsTests
{
    [Fact]
    public void A_relay_and_a_public_site_dial_each_other_and_the_site_behind_nat_is_left_to_its_keepalive()
    {
        var blueprint = SmallHubLab.Blueprint(SmallHubLab.Topology());
        var pairs = LabHandshakes.MutualPairs(blueprint.Tunnels);

        var pair = Assert.Single(pairs);
        var relayAddress = blueprint.Tunnels.Single(t => t.Host == "relay").Config.Interface.Addresses[0].Address;
        Assert.Equal(("hq", "relay", relayAddress), (pair.Initiator.Host, pair.Responder.Host, pair.ResponderAddress));
        Assert.NotEqual(pair.InitiatorKey, pair.ResponderKey);
    }

    [Fact]
    public void In_a_mesh_each_pair_of_public_nodes_is_opened_once_from_the_first_name()
    {
        var pairs = LabHandshakes.MutualPairs(SmallHubLab.Blueprint(Mesh).Tunnels);

        Assert.Equal(["a → b", "a → c", "b → c"], pairs.Select(p => p.ToString()).Order(StringComparer.Ordinal));
    }

    private const string Mesh = """
        network:
          overlay: 10.61.0.0/24
          interface: wg0
          shape: mesh
        nodes:
          - { name: c, role: site, endpoint: "198.51.100.73:51820" }
          - { name: a, role: site, endpoint: "198.51.100.71:51820" }
          - { name: b, role: site, endpoint: "198.51.100.72:51820" }
          - { name: d, role: site, behind_nat: true }
        """;
}
