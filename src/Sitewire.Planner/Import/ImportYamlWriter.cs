using System.Net;
using System.Net.Sockets;
using System.Text;
using Sitewire.Config.Topology;
using Sitewire.Config.Yaml;
using Sitewire.Text;

namespace Sitewire.Planner.Import;

/// <summary>
/// Writes an imported topology as topology YAML. What the configs cannot tell (OS, LAN interface,
/// NAT mode, LAN hosts, flows) is written as <c>TODO</c> with a comment saying what to put there;
/// the file does not load until they are filled in. The node's own LAN addresses, optional fields,
/// are commented TODOs. The same topology always gives the same text.
/// </summary>
public static class ImportYamlWriter
{
    public static string Write(ImportedTopology topology)
    {
        var text = new StringBuilder();
        text.Append("# Imported by `sitewire import` from: ").Append(string.Join(", ", topology.Nodes.Select(node => DisplayText.Escape(node.SourceFile, maxLength: 500)))).Append('\n');
        text.Append("# Fill in every TODO, then run `sitewire verify` on this file. Private keys are not copied here.\n");
        text.Append("network:\n");
        text.Append($"  overlay: {topology.Overlay}\n");
        if (topology.OverlayV6 is { } overlayV6)
        {
            text.Append($"  overlay_v6: {overlayV6}\n");
        }
        text.Append($"  listen_port: {topology.ListenPort}\n");
        if (topology.Mtu is { } mtu)
        {
            text.Append($"  mtu: {mtu}\n");
        }
        if (topology.PersistentKeepalive is { } keepalive)
        {
            text.Append($"  persistent_keepalive: {keepalive}\n");
        }
        text.Append($"  interface: {Quote(topology.InterfaceName)}\n");
        text.Append($"  shape: {topology.Shape.ToString().ToLowerInvariant()}\n");
        if (topology.Hub is { } hub)
        {
            text.Append($"  hub: {Quote(hub)}\n");
        }
        text.Append("\nnodes:\n");
        foreach (var node in topology.Nodes)
        {
            text.Append($"  - name: {Quote(node.Name)}\n");
            text.Append($"    role: {node.Role.ToString().ToLowerInvariant()}\n");
            text.Append("    os: TODO                 # ubuntu | debian | rhel | rocky | alma | fedora\n");
            if (node.Endpoint is { } endpoint)
            {
                text.Append($"    endpoint: {Quote(endpoint.ToString())}\n");
            }
            if (node.BehindNat)
            {
                text.Append("    behind_nat: true\n");
            }
            if (node.FullTunnel)
            {
                text.Append("    # full tunnel: its config sends all traffic (a /0 AllowedIPs) into the tunnel; a plan routes only the overlay and LAN prefixes\n");
            }
            text.Append($"    address: {node.OverlayAddress}\n");
            if (node.OverlayAddressV6 is { } addressV6)
            {
                text.Append($"    address_v6: {addressV6}\n");
            }
            else if (topology.OverlayV6 is not null)
            {
                text.Append("    # address_v6: its config has no IPv6 Address; the plan gives it one in overlay_v6\n");
            }
            text.Append($"    public_key: {node.PublicKey.ToBase64()}\n");
            if (node.LanSubnets.Count > 0 || node.LanInterface is not null)
            {
                text.Append("    lan:\n");
                text.Append(node.LanInterface is { } lanInterface
                    ? $"      interface: {lanInterface}\n"
                    : "      interface: TODO          # the interface facing these subnets, e.g. eth1\n");
                AppendLanAddressHints(text, node.LanSubnets);
                text.Append("      subnets:\n");
                foreach (var subnet in node.LanSubnets)
                {
                    text.Append($"        - {subnet}\n");
                }
                if (node.LanSubnets.Count == 0)
                {
                    text.Append("        - TODO               # the LAN prefixes behind this node: no peer routes any to it yet\n");
                }
                text.Append(node.Nat is { } nat
                    ? $"    nat: {nat.ToString().ToLowerInvariant()}\n"
                    : "    nat: TODO                # masquerade (no MASQUERADE rule was found in PostUp) | routed\n");
            }
        }
        text.Append("\n# TODO: the terminals and servers on the LANs, e.g.\n#   - name: web\n#     site: NODE\n#     address: 172.17.50.1\n#     gateway: node | router-with-route | router-without-route\n#     services: [80/tcp/http]\nhosts: []\n");
        text.Append("\n# TODO: the flows that must work (and those that must not), e.g.\n#   - from: pad\n#     to: web:80/tcp\nflows: []\n");
        return text.ToString();
    }

    /// <summary>
    /// The node's own LAN addresses are in no wg-quick file: per family with subnets, a commented TODO
    /// (optional fields, so the file still loads) with an example from the first subnet of that family.
    /// </summary>
    private static void AppendLanAddressHints(StringBuilder text, IReadOnlyList<IPNetwork> subnets)
    {
        foreach (var subnet in subnets.DistinctBy(subnet => subnet.BaseAddress.AddressFamily))
        {
            text.Append(subnet.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6
                ? $"      # address_v6: TODO     # optional: the node's IPv6 address on this LAN, e.g. {Example(subnet)}: the IPv6 gateway of its hosts\n"
                : $"      # address: TODO        # optional: the node's address on this LAN, e.g. {Example(subnet)}: the gateway of hosts with 'gateway: node'\n");
        }
    }

    private static string Example(IPNetwork subnet) => $"{OverlayAddressAllocator.AddressAt(subnet, 1)}/{subnet.PrefixLength}";

    /// <summary>A value (a name, an interface, an endpoint) in double quotes when YAML would not read it as text unquoted: "[…]" or "1".</summary>
    private static string Quote(string value) => value.StartsWith('[') || YamlCoreSchema.TypeOfPlain(value) is not null ? $"\"{value}\"" : value;
}
