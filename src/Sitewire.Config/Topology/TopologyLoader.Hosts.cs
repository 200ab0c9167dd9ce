using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Yaml;
using Sitewire.Text;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Topology;

public static partial class TopologyLoader
{
    private static readonly Dictionary<string, GatewayKind> GatewayNames = new(StringComparer.Ordinal)
    {
        ["node"] = GatewayKind.Node,
        ["router-with-route"] = GatewayKind.RouterWithRoute,
        ["router-without-route"] = GatewayKind.RouterWithoutRoute,
        ["route-only"] = GatewayKind.RouteOnly,
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
            map.RejectUnknown("name", "site", "address", "address_v6", "gateway", "router", "services");
            var name = Name(map);
            var site = map.String("site", required: true);
            var address = map.Get("address") is null ? MissingAddress(map) : Address(map, "address");
            var addressV6 = Address(map, "address_v6");
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
                if (CheckSite(map, site, nodes) is { } siteNode)
                {
                    CheckOnLan(map, "address", address, siteNode);
                    addressV6 = CheckAddressV6(map, address, addressV6, siteNode);
                    CheckV6Gateway(map, address, addressV6, gateway);
                    CheckGatewayOnSegment(map, name, [.. new[] { address, addressV6 }.OfType<IPAddress>()], gateway, router, siteNode);
                }
                hosts.Add(new LanHost(name, address, site, gateway, router, services, document.Context.LocationOf(mapping), addressV6));
            }
        }
        return hosts;
    }

    private static IPAddress? MissingAddress(YamlMap map)
    {
        map.String("address", required: true);
        return null;
    }

    private static Node? CheckSite(YamlMap map, string siteName, IReadOnlyList<Node> nodes)
    {
        var site = nodes.FirstOrDefault(node => node.Name == siteName);
        if (site is null)
        {
            map.Context.Error(map.Get("site")!, map.FieldPath("site"), $"no node named '{siteName}'{DidYouMean.Hint(siteName, nodes.Select(node => node.Name))}", "the name of the node whose LAN the host is on");
            return null;
        }
        if (site.Lan is null)
        {
            map.Context.Error(map.Get("site")!, map.FieldPath("site"), $"node '{site.Name}' has no LAN", "a node with a 'lan:' section");
            return null;
        }
        return site;
    }

    private static void CheckOnLan(YamlMap map, string key, IPAddress address, Node site)
    {
        var family = address.AddressFamily;
        var prefixes = site.LanPrefixes.Where(prefix => prefix.BaseAddress.AddressFamily == family).ToList();
        if (prefixes.Count == 0)
        {
            var ipv6 = family == AddressFamily.InterNetworkV6;
            map.Context.Error(map.Get(key)!, map.FieldPath(key), $"{address} is {(ipv6 ? "IPv6" : "IPv4")}, and {site.Name}'s LAN has no {(ipv6 ? "IPv6" : "IPv4")} subnet",
                ipv6 ? $"'address_v6: ADDRESS/LEN' or an IPv6 subnet in the lan of '{site.Name}'" : $"an IPv4 subnet in the lan of '{site.Name}'");
        }
        else if (!prefixes.Any(prefix => prefix.Contains(address)))
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), $"{address} is in none of {site.Name}'s LAN subnets ({string.Join(", ", prefixes)})", $"an address in a subnet of '{site.Name}'");
        }
    }

    /// <summary>A dual-stack host's second address: IPv6, beside an IPv4 <c>address</c>, on the site's LAN.</summary>
    private static IPAddress? CheckAddressV6(YamlMap map, IPAddress address, IPAddress? addressV6, Node site)
    {
        if (addressV6 is null)
        {
            return null;
        }
        if (addressV6.AddressFamily != AddressFamily.InterNetworkV6)
        {
            map.Context.Error(map.Get("address_v6")!, map.FieldPath("address_v6"), $"{addressV6} is not an IPv6 address", "the host's IPv6 address, such as fd00:10:10::20");
            return null;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            map.Context.Error(map.Get("address_v6")!, map.FieldPath("address_v6"), $"address {address} is already IPv6", "address_v6 only beside an IPv4 address");
            return null;
        }
        CheckOnLan(map, "address_v6", addressV6, site);
        return addressV6;
    }

    /// <summary>
    /// A host reaches its gateway directly: the node's LAN address (<c>gateway: node</c>, per family) or the router must be
    /// an address of the host's own segment (<see cref="LanSettings.SegmentOf"/>), or no real host could be set up that way.
    /// The node's LAN address of each of the host's families must be declared: the LAN is laid out around it.
    /// </summary>
    private static void CheckGatewayOnSegment(YamlMap map, string name, IPAddress[] addresses, GatewayKind gateway, IPAddress? router, Node site)
    {
        var lan = site.Lan!;
        var unplaced = addresses.FirstOrDefault(address => lan.SegmentOf(address) is not null && lan.AddressOfFamily(address) is null);
        if (unplaced is not null)
        {
            var key = unplaced.Equals(addresses[0]) ? "address" : "address_v6";
            var lanKey = unplaced.AddressFamily == AddressFamily.InterNetwork ? "address" : "address_v6";
            map.Context.Error(map.Get(key)!, map.FieldPath(key), $"{site.Name}'s LAN has no {(lanKey == "address" ? "IPv4" : "IPv6")} address of its own, and {name}'s way to it ({unplaced}) starts there",
                $"lan.{lanKey} on node '{site.Name}': the node's own address on the LAN, with prefix length");
            return;
        }
        if (gateway != GatewayKind.Node)
        {
            CheckRouterOnSegment(map, name, addresses, router, site);
            if (gateway != GatewayKind.RouteOnly)
            {
                return;
            }
        }
        var field = map.Get("gateway") is null ? "address" : "gateway";
        foreach (var address in addresses)
        {
            if (lan.SegmentOf(address) is { } segment && lan.AddressOfFamily(address) is { } nodeAddress && !segment.CanBeGatewayOf(nodeAddress, address))
            {
                map.Context.Error(map.Get(field)!, map.FieldPath(field),
                    nodeAddress.Equals(address)
                        ? $"{name}'s address {address} is {site.Name}'s own LAN address"
                        : $"{name} ({address}) {(gateway == GatewayKind.RouteOnly ? "routes the remote prefixes via" : "uses")} {site.Name}{(gateway == GatewayKind.RouteOnly ? "" : " as gateway")} but is on {segment}, where {site.Name}'s LAN address {nodeAddress} is not: a host reaches its gateway directly",
                    nodeAddress.Equals(address)
                        ? $"another address for {name} in {segment.Prefix} ({segment.UsableRange})"
                        : $"'gateway: router-with-route' and 'router:' an address of {segment.Prefix} ({segment.UsableRange}) other than {address}, or an address for {name} on {site.Name}'s own link");
            }
        }
    }

    /// <summary>A host's LAN router (its gateway, or a route-only host's own default gateway) must be on its segment and not the node.</summary>
    private static void CheckRouterOnSegment(YamlMap map, string name, IPAddress[] addresses, IPAddress? router, Node site)
    {
        var lan = site.Lan!;
        if (router is not null && lan.SegmentOf(addresses[0]) is { } segment && !segment.CanBeGatewayOf(router, addresses[0]))
        {
            map.Context.Error(map.Get("router")!, map.FieldPath("router"),
                router.Equals(addresses[0])
                    ? $"{router} is {name}'s own address"
                    : $"{router} is not a router {name} can reach: {name} ({addresses[0]}) is on {segment}, and a host reaches its router directly",
                $"the router's address on {name}'s segment: an address of {segment.Prefix} ({segment.UsableRange}) other than {addresses[0]}");
        }
        else if (router is not null && lan.AddressOfFamily(router) is { } nodeAddress && nodeAddress.Equals(router))
        {
            map.Context.Error(map.Get("router")!, map.FieldPath("router"),
                $"{router} is {site.Name}'s own LAN address, not a LAN router's: the node would be {name}'s gateway",
                $"'gateway: node' without 'router:', or the address of the LAN router {name} uses");
        }
    }

    /// <summary>IPv6 through a LAN router is not modelled: a host with an IPv6 address uses the node as gateway.</summary>
    private static void CheckV6Gateway(YamlMap map, IPAddress address, IPAddress? addressV6, GatewayKind gateway)
    {
        if (gateway is GatewayKind.Node or GatewayKind.RouteOnly)
        {
            return;
        }
        var key = addressV6 is not null ? "address_v6" : address.AddressFamily == AddressFamily.InterNetworkV6 ? "address" : null;
        if (key is not null)
        {
            map.Context.Error(map.Get(key)!, map.FieldPath(key), $"IPv6 through a LAN router is not modelled, and this host's gateway is a router ({map.String("gateway")})",
                "an IPv4 address only for a host behind a LAN router, or 'gateway: node' for an IPv6 host");
        }
    }
}
