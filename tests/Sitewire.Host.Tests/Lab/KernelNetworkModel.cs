using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// What Linux refuses when the lab builds a blueprint, without root: the lab's own `ip` commands (per namespace: links,
/// addresses, then routes, as <see cref="LabNetworkBuilder"/> runs them) checked against the kernel's rules, with the
/// kernel's messages. Rules, as measured on the lab's kernel: interface names unique per namespace and at most 15 bytes;
/// an address once per device; a gateway must lie in a prefix connected on the route's device (IPv4: not its broadcast
/// address; IPv6: not an address of the namespace) unless `onlink`; a route's destination once per table (an IPv4 route
/// also collides with a connected prefix; IPv6 connected prefixes have another metric).
/// </summary>
internal static class KernelNetworkModel
{
    /// <summary>Every error `ip` would report while building the blueprint, as "namespace: command: message".</summary>
    public static IReadOnlyList<string> Errors(LabBlueprint blueprint)
    {
        var errors = new List<string>();
        var interfaces = blueprint.Wires.SelectMany(w => new[] { w.A, w.B }).ToLookup(i => i.Host);
        foreach (var host in blueprint.Hosts)
        {
            var space = new Namespace();
            foreach (var link in interfaces[host.Name])
            {
                space.AddLink(link.Name, errors, host.Name);
            }
            foreach (var command in LabNetworkBuilder.LinkCommands(host, interfaces[host.Name]))
            {
                Report(errors, host.Name, command, space.Link(command));
            }
            foreach (var command in host.Routes.Select(LabNetworkBuilder.RouteCommand))
            {
                Report(errors, host.Name, command, space.Route(command));
            }
        }
        return errors;
    }

    private static void Report(List<string> errors, string host, string command, string? error)
    {
        if (error is not null)
        {
            errors.Add($"{host}: {command}: {error}");
        }
    }

    private sealed class Namespace
    {
        private readonly HashSet<string> _links = ["lo"];
        private readonly List<(string Device, IPAddress Address, IPNetwork Prefix)> _addresses = [];
        private readonly HashSet<IPNetwork> _routes = [];

        public void AddLink(string name, List<string> errors, string host)
        {
            if (name.Length > 15)
            {
                errors.Add($"{host}: link add {name}: name not a valid ifname");
            }
            if (!_links.Add(name))
            {
                errors.Add($"{host}: link add {name}: RTNETLINK answers: File exists");
            }
        }

        public string? Link(string command)
        {
            var words = command.Split(' ');
            switch (words)
            {
                case ["link", "add", var name, "type", "bridge"]:
                    return _links.Add(name) ? null : "RTNETLINK answers: File exists";
                case ["link", "set", var name, ..]:
                    return _links.Contains(name) ? null : $"Cannot find device \"{name}\"";
                case ["addr", "add", var text, "dev", var device, ..]:
                    if (!_links.Contains(device))
                    {
                        return $"Cannot find device \"{device}\"";
                    }
                    var parsed = TopologyValues.ParseInterfaceAddress(text, out var error) ?? throw new FormatException($"{text}: {error}");
                    if (_addresses.Any(a => a.Device == device && a.Address.Equals(parsed.Address)))
                    {
                        return "Error: ipv4: Address already assigned.";
                    }
                    _addresses.Add((device, parsed.Address, LanSegment.OwnLink(parsed.Address, parsed.Length).Prefix));
                    return null;
                default:
                    throw new FormatException($"the model does not know '{command}'");
            }
        }

        public string? Route(string command)
        {
            var words = command.Split(' ');
            if (words is not ["route", "add", var destination, ..])
            {
                throw new FormatException($"the model does not know '{command}'");
            }
            var via = Option(words, "via") is { } gatewayText ? IPAddress.Parse(gatewayText) : null;
            var device = Option(words, "dev");
            var onLink = words.Contains("onlink");
            var family = via?.AddressFamily ?? (destination.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            var prefix = destination == "default"
                ? new IPNetwork(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0)
                : IPNetwork.Parse(destination);
            if (device is not null && !_links.Contains(device))
            {
                return $"Cannot find device \"{device}\"";
            }
            if (via is not null && !onLink && GatewayError(via, device) is { } gatewayError)
            {
                return gatewayError;
            }
            var connected = family == AddressFamily.InterNetwork && _addresses.Any(a => a.Prefix.Equals(prefix));
            return connected || !_routes.Add(prefix) ? "RTNETLINK answers: File exists" : null;
        }

        private string? GatewayError(IPAddress gateway, string? device)
        {
            var onDevice = _addresses.Where(a => device is null || a.Device == device).Where(a => a.Prefix.Contains(gateway)).ToList();
            if (gateway.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return _addresses.Any(a => a.Address.Equals(gateway)) ? "Error: Gateway can not be a local address."
                    : onDevice.Count == 0 ? "RTNETLINK answers: No route to host"
                    : null;
            }
            var usable = onDevice.Where(a => a.Prefix.PrefixLength >= 31 || !gateway.Equals(OverlayAddressAllocator.AddressAt(a.Prefix, OverlayAddressAllocator.UsableHosts(a.Prefix) + 1)));
            return usable.Any() ? null : "Error: Nexthop has invalid gateway.";
        }

        private static string? Option(string[] words, string name)
        {
            var index = Array.IndexOf(words, name);
            return index >= 0 && index + 1 < words.Length ? words[index + 1] : null;
        }
    }
}
