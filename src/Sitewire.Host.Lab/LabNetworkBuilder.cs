using Sitewire.Host.Namespaces;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

/// <summary>
/// Creates a blueprint's namespaces, veth wires, bridges, addresses, sysctls, routes, nft rules and starting firewalls,
/// batching `ip` commands per namespace and working on namespaces in parallel. Duplicate address detection is off in
/// every namespace (<see cref="WithoutDuplicateAddressDetection"/>), so services can bind IPv6 addresses and flows use
/// them at once.
/// </summary>
internal static class LabNetworkBuilder
{
    public static void Build(LabBlueprint blueprint, LabState state)
    {
        Batch(null, state.Namespaces.Values.Select(ns => $"netns add {ns}"));
        Parallel.ForEach(state.Namespaces.Values, ns => NamespaceThread.Run(ns, WithoutDuplicateAddressDetection));
        if (blueprint.Names.Count > 0)
        {
            var hosts = "127.0.0.1 localhost\n::1 localhost\n" + string.Concat(blueprint.Names.Select(n => $"{n.Value} {n.Key}\n"));
            foreach (var ns in state.Namespaces.Values)
            {
                Directory.CreateDirectory(LabPaths.EtcDirectory(ns));
                File.WriteAllText(Path.Combine(LabPaths.EtcDirectory(ns), "hosts"), hosts);
            }
        }
        Batch(null, blueprint.Wires.Select(w =>
            $"link add {w.A.Name} netns {state.NamespaceOf(w.A.Host)} type veth peer name {w.B.Name} netns {state.NamespaceOf(w.B.Host)}"));
        var interfaces = blueprint.Wires.SelectMany(w => new[] { w.A, w.B }).ToLookup(i => i.Host);
        Parallel.ForEach(blueprint.Hosts, host =>
        {
            var ns = state.NamespaceOf(host.Name);
            Batch(ns, LinkCommands(host, interfaces[host.Name]));
            foreach (var (key, value) in host.Sysctls)
            {
                NamespaceThread.Run(ns, () => File.WriteAllText(Path.Combine("/proc/sys", key), value));
            }
        });
        Parallel.ForEach(blueprint.Hosts, host =>
        {
            var ns = state.NamespaceOf(host.Name);
            Batch(ns, host.Routes.Select(RouteCommand));
            if (host.NftScript is not null)
            {
                Shell.Run("ip", ["netns", "exec", ns, "nft", "-f", "-"], standardInput: host.NftScript).EnsureSuccess();
            }
            LabFirewallBaseline.Apply(ns, host.Firewall);
        });
    }

    /// <summary>
    /// The link-local address the kernel gives each link as it comes up goes through duplicate address detection too
    /// (1-2 s). Until it is done, a router sends no neighbor solicitation for a packet it forwards (it has no usable
    /// link-local source), so the first flow into a LAN failed as "host unreachable": ipv6-source-from-lan.yaml, 6 of 40
    /// lab runs. Each namespace turns detection off before its links exist, so every IPv6 address is usable at once.
    /// </summary>
    private static void WithoutDuplicateAddressDetection()
    {
        foreach (var scope in new[] { "all", "default" })
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{scope}/accept_dad", "0");
        }
    }

    internal static IEnumerable<string> LinkCommands(LabHost host, IEnumerable<LabInterface> interfaces)
    {
        yield return "link set lo up";
        if (host.Role == LabRole.Switch)
        {
            yield return "link add br0 type bridge";
            yield return "link set br0 up";
        }
        foreach (var link in interfaces)
        {
            if (host.Role == LabRole.Switch)
            {
                yield return $"link set {link.Name} master br0";
            }
            foreach (var address in link.Addresses)
            {
                yield return $"addr add {address} dev {link.Name}";
            }
            yield return $"link set {link.Name} up";
        }
    }

    internal static string RouteCommand(LabRoute route) =>
        string.Join(' ', new[]
        {
            "route add", route.Destination,
            route.Via is null ? null : "via " + route.Via,
            route.Device is null ? null : "dev " + route.Device,
            route.OnLink ? "onlink" : null,
        }.OfType<string>());

    private static void Batch(string? ns, IEnumerable<string> commands)
    {
        var script = string.Join('\n', commands);
        if (script.Length == 0)
        {
            return;
        }
        string[] arguments = ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"];
        Shell.Run("ip", arguments, standardInput: script + "\n").EnsureSuccess();
    }
}
