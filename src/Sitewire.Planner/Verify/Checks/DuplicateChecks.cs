using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Verify.Checks;

/// <summary>
/// Two nodes with the same overlay address, public key or endpoint (the seed's copy-pasted office config); a LAN host
/// with an address that something else on its site already has (another host, the node, a LAN router).
/// </summary>
internal static class DuplicateChecks
{
    public static IEnumerable<Finding> Run(NetworkPlan plan)
    {
        var topology = plan.Topology;
        foreach (var group in topology.Nodes.GroupBy(n => n.OverlayAddress).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var node in group.Skip(1))
            {
                yield return new Finding(Severity.Error, "duplicate-overlay-address", node.Name, FieldPaths.Node(topology, node, "address"), node.Location,
                    $"{node.Name} has overlay address {node.OverlayAddress}, as {first.Name} does: packets for it reach only one of them",
                    $"give {node.Name} its own address in {topology.Network.Overlay} (or omit 'address' to have one assigned)");
            }
        }
        foreach (var group in plan.Nodes.GroupBy(n => n.PublicKey.ToBase64(), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var nodePlan in group.Skip(1))
            {
                yield return new Finding(Severity.Error, "duplicate-public-key", nodePlan.Name, FieldPaths.Node(topology, nodePlan.Node, "public_key"), nodePlan.Node.Location,
                    $"{nodePlan.Name} has the public key of {first.Name}: peers cannot tell them apart and the second steals the first's AllowedIPs",
                    $"generate a key on {nodePlan.Name} (sitewire genkey) and put its public key in the topology");
            }
        }
        foreach (var finding in DuplicateLanAddresses(topology))
        {
            yield return finding;
        }
        foreach (var group in topology.Nodes.Where(n => n.Endpoint is not null).GroupBy(n => n.Endpoint!.ToString(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var node in group.Skip(1))
            {
                yield return new Finding(Severity.Error, "duplicate-endpoint", node.Name, FieldPaths.Node(topology, node, "endpoint"), node.Location,
                    $"{node.Name} has endpoint {node.Endpoint}, as {first.Name} does: handshakes for one reach the other",
                    $"give {node.Name} its own public address or port");
            }
        }
    }

    /// <summary>
    /// On one site, a host's address held already by the node's LAN interface, a LAN router (a subnet's <c>via</c> or a
    /// host's <c>router</c>) or an earlier host: both answer ARP for it, and which one gets a packet is a race.
    /// </summary>
    private static IEnumerable<Finding> DuplicateLanAddresses(Topology topology)
    {
        foreach (var node in topology.Nodes.Where(n => n.Lan is not null))
        {
            var holders = new Dictionary<IPAddress, string>();
            foreach (var assigned in node.Lan!.InterfaceAddresses)
            {
                holders.TryAdd(assigned.Address, $"{node.Name}'s LAN interface ({node.Lan.Interface})");
            }
            var hosts = topology.HostsAt(node.Name).ToList();
            foreach (var router in node.Lan.Subnets.Select(s => s.Via).Concat(hosts.Select(h => h.Router)).OfType<IPAddress>())
            {
                holders.TryAdd(router, "a LAN router");
            }
            foreach (var host in hosts)
            {
                foreach (var address in host.Addresses)
                {
                    if (holders.TryGetValue(address, out var holder))
                    {
                        var field = address.Equals(host.Address) ? "address" : "address_v6";
                        yield return new Finding(Severity.Error, "duplicate-lan-address", node.Name, FieldPaths.Host(topology, host, field), host.Location,
                            $"{host.Name}'s address {address} is held also by {holder} on {node.Name}'s LAN: both answer for it, and which one gets a packet is a race",
                            $"give {host.Name} an address no host, router or node on {node.Name}'s LAN has");
                    }
                    else
                    {
                        holders.Add(address, $"host {host.Name}");
                    }
                }
            }
        }
    }
}
