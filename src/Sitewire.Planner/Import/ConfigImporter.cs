using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;

namespace Sitewire.Planner.Import;

/// <summary>
/// Infers a topology from the wg-quick configs of several nodes. Each config is one node; nodes
/// are matched by public key (from PrivateKey, or from a peer entry whose AllowedIPs hold the
/// node's overlay address). The overlay of each family comes from the nodes' Address lines, or
/// from AllowedIPs when those are host addresses (<see cref="ImportedOverlay"/>); IPv6 is optional.
/// A node is named by the peer comment other configs give it, else its directory when the file
/// names repeat (home/wireguard0.conf), else its file name. A LAN prefix (either family) belongs to
/// the node that some config routes it to and whose own config does not route it into the tunnel,
/// and lies in no overlay; a default route (/0) is no LAN prefix but marks a full tunnel. Endpoints
/// come from the peers' Endpoint lines; the shape is a hub when every other node peers with one
/// node only. The LAN interface and NAT mode are read from PostUp rules.
/// </summary>
public static partial class ConfigImporter
{
    /// <summary>Linear in the line (a PostUp line may be thousands of characters): a backtracking engine retried the open <c>[^|;]*</c> from every <c>-o</c>.</summary>
    [GeneratedRegex(@"(?:-o\s+|oifname\s+""?)([a-zA-Z0-9_=+.-]{1,15})""?[^|;]*(?:MASQUERADE|masquerade)", RegexOptions.NonBacktracking)]
    internal static partial Regex MasqueradeInterface();

    [GeneratedRegex("[^a-zA-Z0-9_-]")]
    private static partial Regex NameInvalidCharacters();

    public static ImportedTopology Import(IReadOnlyList<(string Path, WgQuickConfig Config)> configs)
    {
        var diagnostics = new List<Diagnostic>();
        var drafts = new List<(string Path, WgQuickConfig Config, Key PublicKey, InterfaceAddress Address, InterfaceAddress? AddressV6)>();
        foreach (var (path, config) in configs)
        {
            var address = config.Interface.Addresses.FirstOrDefault(candidate => candidate.Address.AddressFamily == AddressFamily.InterNetwork);
            if (address is null)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(path, 1, 1), "Address", "no IPv4 Address in [Interface]", "an 'Address =' line with the node's overlay address"));
                continue;
            }
            var publicKey = config.Interface.PrivateKey?.PublicKey() ?? KeyFromPeers(configs, address.Address);
            if (publicKey is null)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(path, 1, 1), "PrivateKey", "the node's key is neither in this file nor in a peer entry of another file", "a PrivateKey line, or the configs of this node's peers"));
                continue;
            }
            var addressV6 = config.Interface.Addresses.FirstOrDefault(candidate => candidate.Address.AddressFamily == AddressFamily.InterNetworkV6);
            drafts.Add((path, config, publicKey.Value, address, addressV6));
        }
        var duplicates = drafts.GroupBy(draft => draft.PublicKey).Where(group => group.Count() > 1).ToList();
        foreach (var group in duplicates)
        {
            var first = group.First().Path;
            diagnostics.AddRange(group.Skip(1).Select(draft => new Diagnostic(new SourceLocation(draft.Path, 1, 1), "PrivateKey", $"the same key as {first}: one node, two files?", "one config per node")));
        }
        ThrowIfAny(diagnostics);
        if (drafts.Count == 0)
        {
            throw new DiagnosticsException([new Diagnostic(new SourceLocation("(import)", 0, 0), "FILE", "no configs given", "one wg-quick file per node")]);
        }

        var routed = drafts.SelectMany(draft => draft.Config.Peers).SelectMany(peer => peer.AllowedIps).ToList();
        var overlay = ImportedOverlay.Infer([.. drafts.Select(draft => (draft.Path, draft.Address))], routed, diagnostics);
        var withV6 = drafts.Where(draft => draft.AddressV6 is not null).Select(draft => (draft.Path, draft.AddressV6!)).ToList();
        IPNetwork? overlayV6 = withV6.Count > 0 ? ImportedOverlay.Infer(withV6, routed, diagnostics) : null;
        ThrowIfAny(diagnostics);
        IReadOnlyList<IPNetwork> overlays = overlayV6 is { } v6 ? [overlay, v6] : [overlay];
        var stems = drafts.Select(draft => Path.GetFileNameWithoutExtension(draft.Path)).ToList();
        var names = drafts.Select(draft => NameOf(draft.Path, draft.PublicKey, configs, stems)).ToList();
        var hub = HubOf(drafts.Select(draft => (draft.PublicKey, draft.Config)).ToList());
        var nodes = new List<ImportedNode>();
        for (var index = 0; index < drafts.Count; index++)
        {
            var (path, config, publicKey, address, addressV6) = drafts[index];
            var entriesForNode = drafts.SelectMany(other => other.Config.Peers.Where(peer => peer.PublicKey == publicKey)).ToList();
            var endpoint = entriesForNode.Select(peer => peer.Endpoint).FirstOrDefault(value => value is not null) is { } endpointText
                ? TopologyValues.ParseEndpoint(endpointText, config.Interface.ListenPort ?? NetworkSettings.DefaultListenPort, out _)
                : null;
            var ownRouted = config.Peers.SelectMany(peer => peer.AllowedIps).ToHashSet();
            var subnets = entriesForNode.SelectMany(peer => peer.AllowedIps)
                .Where(prefix => prefix.PrefixLength > 0 && !overlays.Any(within => Within(prefix, within)) && !ownRouted.Contains(prefix))
                .Distinct()
                .ToList();
            var masquerade = config.Interface.PostUp.Select(line => MasqueradeInterface().Match(line)).FirstOrDefault(match => match.Success);
            var keepalive = config.Peers.Any(peer => peer.PersistentKeepalive is > 0);
            var role = hub == publicKey || (hub is null && endpoint is not null && CarriesOthers(drafts.Select(draft => draft.Config), publicKey, overlay))
                ? NodeRole.Relay
                : subnets.Count > 0 || masquerade is not null ? NodeRole.Site : NodeRole.Client;
            nodes.Add(new ImportedNode(
                names[index], path, publicKey, address.Address, addressV6?.Address, role, endpoint,
                endpoint is null && keepalive,
                ownRouted.Any(prefix => prefix.PrefixLength == 0),
                subnets,
                masquerade?.Groups[1].Value,
                masquerade is not null ? NatMode.Masquerade : null));
        }
        var listenPort = drafts.Select(draft => draft.Config.Interface.ListenPort).FirstOrDefault(port => port is > 0) ?? NetworkSettings.DefaultListenPort;
        var keepaliveValue = drafts.SelectMany(draft => draft.Config.Peers).Select(peer => peer.PersistentKeepalive).FirstOrDefault(value => value is > 0);
        var interfaceName = stems.Distinct().Count() == 1 && TopologyValues.IsInterfaceName(stems[0]) ? stems[0] : NetworkSettings.DefaultInterfaceName;
        var hubName = hub is { } hubKey ? nodes.First(node => node.PublicKey == hubKey).Name : null;
        return new ImportedTopology(
            overlay, overlayV6, interfaceName, listenPort,
            drafts.Select(draft => draft.Config.Interface.Mtu).FirstOrDefault(mtu => mtu is not null),
            keepaliveValue,
            hub is null ? NetworkShape.Mesh : NetworkShape.Hub,
            hubName,
            nodes);
    }

    private static Key? KeyFromPeers(IReadOnlyList<(string Path, WgQuickConfig Config)> configs, IPAddress address) =>
        configs.SelectMany(entry => entry.Config.Peers)
            .FirstOrDefault(peer => peer.AllowedIps.Any(prefix => prefix.PrefixLength == (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) && prefix.BaseAddress.Equals(address)))
            ?.PublicKey;

    private static string NameOf(string path, Key publicKey, IReadOnlyList<(string Path, WgQuickConfig Config)> configs, List<string> stems)
    {
        var commented = configs.SelectMany(entry => entry.Config.Peers).FirstOrDefault(peer => peer.PublicKey == publicKey && !string.IsNullOrWhiteSpace(peer.Name))?.Name;
        var stem = Path.GetFileNameWithoutExtension(path);
        var fallback = stems.Count(candidate => candidate == stem) > 1
            ? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? stem
            : stem;
        var name = NameInvalidCharacters().Replace(commented ?? fallback, "-").Trim('-');
        return name.Length == 0 ? "node" : name;
    }

    /// <summary>The node every other node peers with exclusively, when there is one (and more than two nodes).</summary>
    private static Key? HubOf(IReadOnlyList<(Key PublicKey, WgQuickConfig Config)> nodes)
    {
        if (nodes.Count < 2)
        {
            return null;
        }
        foreach (var (candidate, config) in nodes)
        {
            var others = nodes.Where(node => node.PublicKey != candidate).ToList();
            if (config.Peers.Count == others.Count && others.All(node => node.Config.Peers.Count == 1 && node.Config.Peers[0].PublicKey == candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Whether other nodes route a third node's overlay address through this one.</summary>
    private static bool CarriesOthers(IEnumerable<WgQuickConfig> configs, Key publicKey, IPNetwork overlay) =>
        configs.Any(config => config.Peers.Any(peer => peer.PublicKey == publicKey
            && peer.AllowedIps.Count(prefix => prefix.PrefixLength == 32 && overlay.Contains(prefix.BaseAddress)) > 1));

    /// <summary>Whether the prefix lies inside the overlay (false across families).</summary>
    private static bool Within(IPNetwork prefix, IPNetwork overlay) =>
        overlay.PrefixLength <= prefix.PrefixLength && overlay.Contains(prefix.BaseAddress);

    private static void ThrowIfAny(List<Diagnostic> diagnostics)
    {
        if (diagnostics.Count > 0)
        {
            throw new DiagnosticsException(diagnostics);
        }
    }
}
