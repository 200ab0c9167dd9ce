using Sitewire.Config.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private static readonly Dictionary<string, GatewayKind> GatewayNames = new(StringComparer.Ordinal)
    {
        ["node"] = GatewayKind.Node,
        ["router-with-route"] = GatewayKind.RouterWithRoute,
        ["router-without-route"] = GatewayKind.RouterWithoutRoute,
    };

    private static List<LanHost> ReadHosts(YamlMap document, IReadOnlyList<Node> nodes)
    {
        var hosts = new List<LanHost>();
        foreach (var (item, path) in document.Sequence("hosts"))
        {
            if (item is not YamlMappingNode mapping)
            {
                document.Context.Error(item, path, "a host is not a mapping", "'- name: ...' with the host's fields");
                continue;
            }
            var map = new YamlMap(mapping, path, document.Context);
            map.RejectUnknown("name", "site", "address", "gateway", "router", "services");
            var name = Name(map);
            var site = map.String("site", required: true);
            var address = map.Get("address") is null ? MissingAddress(map) : Address(map, "address");
            var gateway = map.Enum("gateway", GatewayNames) ?? GatewayKind.Node;
            var router = Address(map, "router");
            var services = new List<Service>();
            foreach (var (serviceNode, servicePath) in map.Sequence("services"))
            {
                var service = serviceNode is YamlScalarNode { Value: { } text } ? TopologyValues.ParseService(text, out var error) : null;
                if (service is null)
                {
                    document.Context.Error(serviceNode, servicePath, $"'{YamlMap.Describe(serviceNode)}' is not a service", "PORT/tcp or PORT/udp, optionally /APP such as 80/tcp/http");
                    continue;
                }
                services.Add(service);
            }
            if (name is not null && site is not null && address is not null)
            {
                CheckSite(map, site, address, nodes);
                hosts.Add(new LanHost(name, address, site, gateway, router, services, document.Context.LocationOf(mapping)));
            }
        }
        return hosts;
    }

    private static System.Net.IPAddress? MissingAddress(YamlMap map)
    {
        map.String("address", required: true);
        return null;
    }

    private static void CheckSite(YamlMap map, string siteName, System.Net.IPAddress address, IReadOnlyList<Node> nodes)
    {
        var site = nodes.FirstOrDefault(node => node.Name == siteName);
        if (site is null)
        {
            map.Context.Error(map.Get("site")!, map.FieldPath("site"), $"no node named '{siteName}'", "the name of the node whose LAN the host is on");
            return;
        }
        if (site.Lan is null)
        {
            map.Context.Error(map.Get("site")!, map.FieldPath("site"), $"node '{site.Name}' has no LAN", "a node with a 'lan:' section");
            return;
        }
        if (!site.LanPrefixes.Any(prefix => prefix.Contains(address)))
        {
            map.Context.Error(map.Get("address")!, map.FieldPath("address"), $"{address} is in none of {site.Name}'s LAN subnets ({string.Join(", ", site.LanPrefixes)})", $"an address in a subnet of '{site.Name}'");
        }
    }
}
