using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

/// <summary>
/// <c>mapped_as</c>: a LAN subnet the rest of the network knows by another prefix of the same length, translated 1:1 on
/// the site's node (NETMAP), so sites whose LANs overlap can all be reached at once. IPv4 only. Per subnet
/// (<c>subnets: - prefix: P, mapped_as: M</c>) or for the LAN's one IPv4 subnet (<c>lan.mapped_as: M</c>). A mapped prefix
/// must be free: of the overlay, of every site's LAN (the node's own too) and of every other mapped prefix.
/// </summary>
public static partial class TopologyLoader
{
    private sealed record MappingField(IPNetwork Real, IPNetwork Mapped, YamlNode Node, string Path);

    private const string Ipv4Only = "mapped_as is IPv4 only (the plan translates with iptables NETMAP and nftables prefix NAT for IPv4); an IPv6 LAN that collides with another must be renumbered";

    /// <summary>The map's <c>mapped_as</c> for <paramref name="real"/>: a prefix of the same family and length, else reported and null.</summary>
    private static IPNetwork? MappedAs(YamlMap map, IPNetwork real)
    {
        if (map.String("mapped_as") is not { } text)
        {
            return null;
        }
        var node = map.Get("mapped_as")!;
        var path = map.FieldPath("mapped_as");
        var length = real.PrefixLength;
        if (TopologyValues.ParsePrefix(text, out var error) is not { } mapped)
        {
            map.Context.Error(node, path, error!, $"a free IPv4 prefix of length /{length}, such as 10.201.3.0/{length}");
            return null;
        }
        if (real.BaseAddress.AddressFamily != AddressFamily.InterNetwork || mapped.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            map.Context.Error(node, path, $"{real} cannot be mapped to {mapped}: {Ipv4Only}", "an IPv4 subnet and an IPv4 prefix of the same length");
            return null;
        }
        if (mapped.PrefixLength != length)
        {
            map.Context.Error(node, path, $"{mapped} is a /{mapped.PrefixLength} and the LAN {real} a /{length}: a 1:1 mapping needs prefixes of the same length",
                $"a /{length}, such as {TopologyValues.Masked(mapped.BaseAddress, length)}/{length}");
            return null;
        }
        return mapped;
    }

    /// <summary><c>lan.mapped_as</c>: the mapping of the LAN's one IPv4 subnet.</summary>
    private static void MapWholeLan(YamlMap lan, List<LanSubnet> subnets, List<MappingField> mappings)
    {
        if (lan.Get("mapped_as") is not { } node)
        {
            return;
        }
        var path = lan.FieldPath("mapped_as");
        var ipv4 = subnets.Where(s => s.Prefix.BaseAddress.AddressFamily == AddressFamily.InterNetwork).ToList();
        if (ipv4.Count != 1)
        {
            lan.Context.Error(node, path, ipv4.Count == 0 ? $"the LAN has no IPv4 subnet to map: {Ipv4Only}" : $"the LAN has {ipv4.Count} IPv4 subnets ({string.Join(", ", ipv4.Select(s => s.Prefix))}); lan.mapped_as maps the only one",
                "mapped_as on each subnet to map ('subnets: - prefix: P' with 'mapped_as: M')");
            return;
        }
        var subnet = ipv4[0];
        if (subnet.MappedAs is not null)
        {
            lan.Context.Error(node, path, $"{subnet.Prefix} is mapped in its subnet entry already", "one mapped_as per subnet");
            return;
        }
        if (MappedAs(lan, subnet.Prefix) is { } mapped)
        {
            subnets[subnets.IndexOf(subnet)] = subnet with { MappedAs = mapped };
            mappings.Add(new MappingField(subnet.Prefix, mapped, node, path));
        }
    }

    /// <summary>Each mapped prefix against the overlay, every site's LAN and the mapped prefixes before it.</summary>
    private static void CheckMappings(IReadOnlyList<NodeDraft> drafts, NetworkSettings network, YamlReadContext context)
    {
        var lans = drafts.SelectMany(draft => draft.Node.LanPrefixes.Select(prefix => (draft.Node.Name, Prefix: prefix))).ToList();
        var earlier = new List<(string Node, MappingField Field)>();
        foreach (var draft in drafts)
        {
            foreach (var field in draft.Mappings)
            {
                var mapped = field.Mapped;
                var expected = $"a /{mapped.PrefixLength} that no LAN, overlay or other mapping uses";
                if (Overlap(mapped, network.Overlay))
                {
                    context.Error(field.Node, field.Path, $"{mapped} overlaps the overlay {network.Overlay}", expected);
                }
                else if (lans.FirstOrDefault(lan => Overlap(lan.Prefix, mapped)) is { Name: not null } lan)
                {
                    context.Error(field.Node, field.Path, $"{mapped} overlaps {(lan.Name == draft.Node.Name ? "the node's own" : $"{lan.Name}'s")} LAN {lan.Prefix}: the mapped prefix must be free", expected);
                }
                else if (earlier.FirstOrDefault(e => Overlap(e.Field.Mapped, mapped)) is { Node: not null } other)
                {
                    context.Error(field.Node, field.Path, $"{mapped} overlaps {other.Node}'s mapped prefix {other.Field.Mapped} ({other.Field.Path}): two subnets cannot share one", expected);
                }
                earlier.Add((draft.Node.Name, field));
            }
        }
    }
}
