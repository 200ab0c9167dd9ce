using System.Net;
using System.Net.Sockets;
using System.Text;
using Sitewire.Config.Input;
using Sitewire.Config.Topology;
using Sitewire.Config.Yaml;
using Sitewire.Text;

namespace Sitewire.Planner.Import;

/// <summary>
/// Writes an imported topology as topology YAML. What the configs cannot tell (OS, LAN interface,
/// NAT mode, LAN hosts, flows) is written as <c>TODO</c> with a comment saying what to put there;
/// the file does not load until they are filled in. The node's own LAN addresses, optional fields,
/// are commented TODOs. What the configs hold beyond a design is written as node facts (keepalive,
/// allowed_ips, drop, post_up/post_down, a client's dns), what no field holds (a server's DNS, a hook line too long for a value)
/// as comments, and the import's warnings head the file. The same topology always gives the same text.
/// </summary>
public static class ImportYamlWriter
{
    public static string Write(ImportedTopology topology)
    {
        var text = new StringBuilder();
        text.Append("# Imported by `sitewire import` from: ").Append(string.Join(", ", topology.Nodes.Where(node => node.SourceFile is not null).Select(node => DisplayText.Escape(node.SourceFile, maxLength: 500)))).Append('\n');
        text.Append("# Fill in every TODO, then run `sitewire verify` on this file. Private keys are not copied here.\n");
        foreach (var warning in topology.Warnings)
        {
            text.Append("# warning: ").Append(DisplayText.Escape(warning, maxLength: 2000)).Append('\n');
        }
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
        text.Append(topology.InterfaceName is { } interfaceName
            ? $"  interface: {Quote(interfaceName)}\n"
            : "  interface: TODO         # the tunnel interface: wg-quick names it after the config file (wg0.conf: wg0)\n");
        text.Append($"  shape: {topology.Shape.ToString().ToLowerInvariant()}\n");
        if (topology.Hub is { } hub)
        {
            text.Append($"  hub: {Quote(hub)}\n");
        }
        text.Append("\nnodes:\n");
        foreach (var node in topology.Nodes)
        {
            text.Append($"  - name: {Quote(node.Name)}\n");
            if (node.SourceFile is null)
            {
                text.Append("    # no config of its own among the files (a phone or laptop?): known from its peers' entries for it\n");
            }
            text.Append($"    role: {node.Role.ToString().ToLowerInvariant()}\n");
            text.Append(node.Role == NodeRole.Client
                ? "    os: TODO                 # android | ios | windows | macos | linux, or a server's ubuntu | debian | rhel | rocky | alma | fedora\n"
                : "    os: TODO                 # ubuntu | debian | rhel | rocky | alma | fedora\n");
            if (node.Endpoint is { } endpoint)
            {
                text.Append($"    endpoint: {Quote(endpoint.ToString())}\n");
            }
            if (node.BehindNat)
            {
                text.Append("    behind_nat: true\n");
            }
            if (node.PublicInterface is { } publicInterface)
            {
                text.Append($"    public_interface: {Quote(publicInterface)}\n");
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
                foreach (var subnet in node.LanSubnets.Select(node.Subnet))
                {
                    text.Append(subnet.MappedAs is { } mapped ? $"        - prefix: {subnet.Prefix}\n          mapped_as: {mapped}\n" : $"        - {subnet.Prefix}\n");
                }
                if (node.LanSubnets.Count == 0)
                {
                    text.Append("        - TODO               # the LAN prefixes behind this node: no peer routes any to it yet\n");
                }
                text.Append(node.Nat is { } nat
                    ? $"    nat: {nat.ToString().ToLowerInvariant()}\n"
                    : "    nat: TODO                # masquerade (no MASQUERADE rule was found in PostUp) | routed\n");
            }
            if (node.Dns.Count > 0 && node.Role == NodeRole.Client && node.Dns.All(server => IPAddress.TryParse(server, out _)))
            {
                text.Append($"    dns: [{string.Join(", ", node.Dns.Select(server => $"\"{server}\""))}]\n");
            }
            else if (node.Dns.Count > 0)
            {
                text.Append("    # DNS = ").Append(DisplayText.Escape(string.Join(", ", node.Dns), maxLength: 500)).Append(" in its config: a topology sets DNS only for a client, as IP addresses (dns:); keep it in the node's config by hand\n");
            }
            AppendOverrides(text, node.Overrides);
        }
        text.Append("\n# TODO: the terminals and servers on the LANs, e.g.\n#   - name: web\n#     site: NODE\n#     address: 172.17.50.1\n#     gateway: node | router-with-route | router-without-route\n#     services: [80/tcp/http]\nhosts: []\n");
        text.Append("\n# TODO: the flows that must work (and those that must not), e.g.\n#   - from: pad\n#     to: web:80/tcp\nflows: []\n");
        return text.ToString();
    }

    private static void AppendOverrides(StringBuilder text, NodeOverrides overrides)
    {
        if (overrides.PersistentKeepalive is { } keepalive)
        {
            text.Append($"    persistent_keepalive: {keepalive}   # as its config sends it\n");
        }
        if (overrides.AllowedIps.Count > 0)
        {
            text.Append("    allowed_ips:                # as deployed, where its entries differ from what a plan computes\n");
            foreach (var change in overrides.AllowedIps)
            {
                text.Append($"      - peer: {Quote(change.Peer)}\n");
                if (change.Extra.Count > 0)
                {
                    text.Append($"        extra: [{string.Join(", ", change.Extra)}]\n");
                }
                if (change.Missing.Count > 0)
                {
                    text.Append($"        missing: [{string.Join(", ", change.Missing)}]\n");
                }
            }
        }
        if (overrides.Drops.Count > 0)
        {
            text.Append("    drop:                       # from its PostUp: what these match is dropped\n");
            foreach (var drop in overrides.Drops)
            {
                text.Append("      - chain: ").Append(drop.Chain.ToString().ToLowerInvariant()).Append('\n');
                AppendField(text, "in", drop.InInterface is { } inName ? Quote(inName) : null);
                AppendField(text, "out", drop.OutInterface is { } outName ? Quote(outName) : null);
                AppendField(text, "protocol", drop.Protocol?.ToString().ToLowerInvariant());
                AppendField(text, "port", drop.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                AppendField(text, "source", drop.Source?.ToString());
                AppendField(text, "destination", drop.Destination?.ToString());
            }
        }
        AppendHookLines(text, "post_up", "PostUp", overrides.PostUp);
        AppendHookLines(text, "post_down", "PostDown", overrides.PostDown);
    }

    private static void AppendField(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append($"        {key}: {value}\n");
        }
    }

    /// <summary>Hook lines as double-quoted YAML values; one longer than a YAML value may be stays a comment.</summary>
    private static void AppendHookLines(StringBuilder text, string key, string hook, IReadOnlyList<string> lines)
    {
        var fitting = lines.Where(line => line.Length <= InputLimits.MaxYamlScalarLength).ToList();
        if (fitting.Count > 0)
        {
            text.Append($"    {key}:                    # kept verbatim from its {hook}: verify does not model these\n");
            foreach (var line in fitting)
            {
                text.Append("      - ").Append(DoubleQuoted(line)).Append('\n');
            }
        }
        foreach (var line in lines.Where(line => line.Length > InputLimits.MaxYamlScalarLength))
        {
            text.Append($"    # TODO: a {hook} line of {line.Length} characters, longer than a topology value, not kept: ").Append(DisplayText.Escape(line, maxLength: 200)).Append('\n');
        }
    }

    /// <summary>A YAML double-quoted scalar: backslash and quote escaped, control characters as <c>\xNN</c>.</summary>
    private static string DoubleQuoted(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '\\' or '"' => $"\\{c}",
                < ' ' and not '\t' or (>= '\u007f' and <= '\u009f') => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
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
