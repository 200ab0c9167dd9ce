using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;

namespace Sitewire.Planner.Import;

/// <summary>
/// The overlay of one address family as the nodes' <c>Address</c> lines imply it: every address masked
/// to the shortest prefix length among them, and of the prefixes that gives, the one holding most
/// nodes (the earliest file's on a tie). When every Address line is a host address (/32, /128), they
/// imply no overlay: the most specific AllowedIPs prefix (not /0) that holds every node's address is
/// the overlay; without one, that is reported. A node whose address lies outside the overlay is reported by file.
/// </summary>
internal static class ImportedOverlay
{
    /// <summary>
    /// The overlay of the given addresses (at least one, all of one family), <paramref name="routed"/> being
    /// every AllowedIPs prefix of the configs; adds a diagnostic per node outside it, or one when no overlay can be told.
    /// </summary>
    public static IPNetwork Infer(IReadOnlyList<(string Path, InterfaceAddress Address)> addressed, IEnumerable<IPNetwork> routed, List<Diagnostic> diagnostics)
    {
        var length = addressed.Min(node => node.Address.PrefixLength);
        var (first, firstAddress) = addressed[0];
        var ipv6 = firstAddress.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var family = ipv6 ? "IPv6" : "IPv4";
        if (length == (ipv6 ? 128 : 32) && addressed.Count > 1)
        {
            if (RoutedOverlay(addressed, routed) is { } routedOverlay)
            {
                return routedOverlay;
            }
            diagnostics.Add(new Diagnostic(new SourceLocation(first, 1, 1), "Address",
                $"every {family} Address is a host address (/{length}) and no AllowedIPs prefix holds them all: the {family} overlay cannot be told",
                $"the overlay's prefix length on the Address lines, such as {firstAddress.Address}/{(ipv6 ? 64 : 24)}"));
            return new IPNetwork(firstAddress.Address, length);
        }
        var overlay = addressed
            .Select(node => new IPNetwork(TopologyValues.Masked(node.Address.Address, length), length))
            .GroupBy(prefix => prefix)
            .OrderByDescending(group => group.Count())
            .First().Key;
        diagnostics.AddRange(addressed
            .Where(node => !overlay.Contains(node.Address.Address))
            .Select(node => new Diagnostic(new SourceLocation(node.Path, 1, 1), "Address",
                $"{node.Address} lies outside the {family} overlay {overlay} that the other configs' Address lines imply",
                $"an address in {overlay}, with the same prefix length on every node")));
        return overlay;
    }

    private static IPNetwork? RoutedOverlay(IReadOnlyList<(string Path, InterfaceAddress Address)> addressed, IEnumerable<IPNetwork> routed) =>
        routed
            .Where(prefix => prefix.PrefixLength > 0 && addressed.All(node => prefix.Contains(node.Address.Address)))
            .OrderByDescending(prefix => prefix.PrefixLength)
            .Select(prefix => (IPNetwork?)prefix)
            .FirstOrDefault();
}
