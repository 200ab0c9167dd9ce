using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;

namespace Sitewire.Planner.Import;

/// <summary>
/// The overlay of one address family as the nodes' <c>Address</c> lines imply it: every address masked
/// to the shortest prefix length among them, and of the prefixes that gives, the one holding most
/// nodes (the earliest file's on a tie). A node whose address lies outside it is reported by file.
/// </summary>
internal static class ImportedOverlay
{
    /// <summary>The overlay of the given addresses (at least one, all of one family); adds a diagnostic per node outside it.</summary>
    public static IPNetwork Infer(IReadOnlyList<(string Path, InterfaceAddress Address)> addressed, List<Diagnostic> diagnostics)
    {
        var length = addressed.Min(node => node.Address.PrefixLength);
        var overlay = addressed
            .Select(node => new IPNetwork(TopologyValues.Masked(node.Address.Address, length), length))
            .GroupBy(prefix => prefix)
            .OrderByDescending(group => group.Count())
            .First().Key;
        var family = overlay.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        diagnostics.AddRange(addressed
            .Where(node => !overlay.Contains(node.Address.Address))
            .Select(node => new Diagnostic(new SourceLocation(node.Path, 1, 1), "Address",
                $"{node.Address} lies outside the {family} overlay {overlay} that the other configs' Address lines imply",
                $"an address in {overlay}, with the same prefix length on every node")));
        return overlay;
    }
}
