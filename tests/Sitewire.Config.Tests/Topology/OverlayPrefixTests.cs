using System.Net;
using System.Text;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>An overlay prefix leaves room for the nodes, in both families, and holds no address a node cannot have.</summary>
public sealed class OverlayPrefixTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          overlay_v6: fd00:200::/64
        nodes:
          - name: relay
            role: relay
            endpoint: 198.51.100.1:51820
          - name: site
        hosts: []
        flows: []
        """;

    [Theory]
    [InlineData("overlay_v6: fd00:200::/128", "fd00:200::/128 has 0 host bits, fewer than the 8 of the IPv4 overlay")]
    [InlineData("overlay_v6: fd00:200::/127", "fd00:200::/127 has 1 host bits, fewer than the 8 of the IPv4 overlay")]
    [InlineData("overlay_v6: fd00:200::/121", "fd00:200::/121 has 7 host bits, fewer than the 8 of the IPv4 overlay")]
    [InlineData("overlay_v6: ::/0", "::/0 overlaps ::/127, addresses no node can have")]
    [InlineData("overlay_v6: ::/64", "::/64 overlaps ::/127, addresses no node can have")]
    [InlineData("overlay_v6: ::ffff:0:0/104", "::ffff:0:0/104 overlaps ::ffff:0:0/96, addresses no node can have")]
    [InlineData("overlay_v6: ff02::/64", "ff02::/64 overlaps ff00::/8, addresses no node can have")]
    public void An_ipv6_overlay_without_room_or_with_addresses_no_node_can_have_is_refused(string replace, string message)
    {
        LoaderDiagnostics.AssertReportedAt(Valid, "overlay_v6: fd00:200::/64", replace, 3, 15, "network.overlay_v6", message);
    }

    [Theory]
    [InlineData("overlay: 10.200.0.0/32", "10.200.0.0/32 has no room for nodes")]
    [InlineData("overlay: 10.200.0.0/31", "10.200.0.0/31 has no room for nodes")]
    [InlineData("overlay: 0.0.0.0/0", "0.0.0.0/0 overlaps 0.0.0.0/8, addresses no node can have")]
    [InlineData("overlay: 127.0.0.0/24", "127.0.0.0/24 overlaps 127.0.0.0/8, addresses no node can have")]
    [InlineData("overlay: 224.0.0.0/24", "224.0.0.0/24 overlaps 224.0.0.0/3, addresses no node can have")]
    [InlineData("overlay: 240.0.0.0/24", "240.0.0.0/24 overlaps 224.0.0.0/3, addresses no node can have")]
    public void An_ipv4_overlay_without_room_or_with_addresses_no_node_can_have_is_refused(string replace, string message)
    {
        LoaderDiagnostics.AssertReportedAt(Valid.Replace("  overlay_v6: fd00:200::/64\n", "", StringComparison.Ordinal), "overlay: 10.200.0.0/24", replace, 2, 12, "network.overlay", message);
    }

    [Theory]
    [InlineData("10.200.0.0/30", "fd00:200::/126")]
    [InlineData("10.200.0.0/24", "fd00:200::/120")]
    [InlineData("10.200.0.0/16", "fd00:200::/112")]
    public void Every_node_gets_addresses_inside_both_overlays_and_never_their_network_address(string overlay, string overlayV6)
    {
        var nodes = overlay.EndsWith("/30", StringComparison.Ordinal) ? 2 : 200;
        var text = new StringBuilder($"network:\n  overlay: {overlay}\n  overlay_v6: {overlayV6}\n  shape: mesh\nnodes:\n");
        for (var index = 0; index < nodes; index++)
        {
            text.Append($"  - name: n{index}\n    endpoint: 198.51.100.{index % 250 + 1}:51820\n");
        }
        text.Append("hosts: []\nflows: []\n");

        var result = TopologyLoader.LoadText(text.ToString(), "t.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var (v4, v6) = (IPNetwork.Parse(overlay), IPNetwork.Parse(overlayV6));
        foreach (var node in result.Topology.Nodes)
        {
            Assert.True(v4.Contains(node.OverlayAddress) && !node.OverlayAddress.Equals(v4.BaseAddress), $"{node.Name}: {node.OverlayAddress}");
            Assert.True(v6.Contains(node.OverlayAddressV6!) && !node.OverlayAddressV6!.Equals(v6.BaseAddress), $"{node.Name}: {node.OverlayAddressV6}");
        }
    }
}
