using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Crypto;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Planner.Import;

/// <summary>
/// Infers a topology from the wg-quick configs of several nodes, keeping what they say. Each config is one node; a
/// peer that has no config of its own (a phone) is a node too, known from its public key and AllowedIPs. Nodes are
/// matched by public key (from PrivateKey, or from a peer entry whose AllowedIPs hold the node's overlay address). The
/// overlay of each family comes from the Address lines (<see cref="ImportedOverlay"/>). A node is named by the peer
/// comment other configs give it, else its directory when the file names repeat (home/wg0.conf), else its file name;
/// the tunnel interface is the one the file names say (wg-quick names it after the file). The hub is the node every
/// other node peers with exclusively (the star). LAN prefixes go to their owner (<see cref="PrefixOwners"/>). Hook
/// lines are read part by part (<see cref="ImportedHooks"/>). Last, the configs are compared with the design plan
/// would make of all this: each AllowedIPs difference, each node's own keepalive, and every hook part plan would not
/// write are kept as node facts (<see cref="NodeOverrides"/>), so a plan of the result is the network as deployed.
/// </summary>
public static partial class ConfigImporter
{
    [GeneratedRegex("[^a-zA-Z0-9_-]")]
    private static partial Regex NameInvalidCharacters();

    private sealed record Draft(string? Path, WgQuickConfig? Config, Key PublicKey, IPAddress Address, IPAddress? AddressV6);

    public static ImportedTopology Import(IReadOnlyList<(string Path, WgQuickConfig Config)> configs)
    {
        var diagnostics = new List<Diagnostic>();
        var files = FileDrafts(configs, diagnostics);
        ThrowIfAny(diagnostics);
        if (files.Count == 0)
        {
            throw new DiagnosticsException([new Diagnostic(new SourceLocation("(import)", 0, 0), "FILE", "no configs given", "one wg-quick file per node")]);
        }
        var routed = files.SelectMany(draft => draft.Config!.Peers).SelectMany(peer => peer.AllowedIps).ToList();
        var overlay = ImportedOverlay.Infer([.. files.Select(draft => (draft.Path!, InterfaceAddressOf(draft.Config!, draft.Address)))], routed, diagnostics);
        var withV6 = files.Where(draft => draft.AddressV6 is not null).Select(draft => (draft.Path!, InterfaceAddressOf(draft.Config!, draft.AddressV6!))).ToList();
        IPNetwork? overlayV6 = withV6.Count > 0 ? ImportedOverlay.Infer(withV6, routed, diagnostics) : null;
        ThrowIfAny(diagnostics);
        var drafts = files.Concat(PeersWithoutFile(files, overlay, overlayV6, diagnostics)).ToList();
        ThrowIfAny(diagnostics);

        var warnings = new List<string>();
        var stems = files.Select(draft => Path.GetFileNameWithoutExtension(draft.Path!)).ToList();
        var interfaceName = InterfaceNameOf(stems, warnings);
        var names = NamesOf(drafts, configs, stems);
        var hooks = files.Select(draft => new ImportedHooks(draft.Config!.Interface, interfaceName ?? Path.GetFileNameWithoutExtension(draft.Path!))).ToList();
        var endpoints = drafts.Select(draft => EndpointOf(draft.PublicKey, files)).ToList();
        var hub = HubOf(drafts, endpoints);
        IReadOnlyList<IPNetwork> overlays = overlayV6 is { } v6 ? [overlay, v6] : [overlay];
        var carrier = hub ?? MeshCarrier(drafts, endpoints, files, overlay);
        var owners = PrefixOwners.Assign(drafts.Select(draft => (draft.PublicKey, draft.Config)).ToList(), names, carrier,
            [.. drafts.Select((draft, index) => index < hooks.Count && (hooks[index].MasqueradeInterface is not null || hooks[index].ZoneMasquerade))], overlays, warnings);
        var keepalives = files.Select(draft => SentKeepalive(draft.Config!)).ToList();

        var nodes = new List<ImportedNode>();
        for (var index = 0; index < drafts.Count; index++)
        {
            var draft = drafts[index];
            var nodeHooks = index < hooks.Count ? hooks[index] : null;
            var (subnets, mappedAs) = Unmapped(owners[index], nodeHooks?.Maps ?? []);
            var isHub = hub == index;
            var egressNat = isHub && subnets.Count == 0 && nodeHooks?.MasqueradeInterface is not null;
            var lanInterface = egressNat ? null : nodeHooks?.MasqueradeInterface;
            var masquerades = !egressNat && (nodeHooks?.MasqueradeInterface is not null || nodeHooks?.ZoneMasquerade == true);
            var role = isHub || (hub is null && endpoints[index] is not null && draft.Config is not null && CarriesOthers(files, draft.PublicKey, overlay))
                ? NodeRole.Relay
                : subnets.Count > 0 || masquerades ? NodeRole.Site : NodeRole.Client;
            nodes.Add(new ImportedNode(
                names[index], draft.Path, draft.PublicKey, draft.Address, draft.AddressV6, role, endpoints[index],
                endpoints[index] is null && index < keepalives.Count && keepalives[index] is > 0,
                subnets,
                lanInterface,
                masquerades ? NatMode.Masquerade : null,
                egressNat ? nodeHooks!.MasqueradeInterface : null,
                NodeOverrides.None with { Drops = nodeHooks?.Drops ?? [] },
                draft.Config?.Interface.Dns ?? [],
                mappedAs));
        }
        var imported = new ImportedTopology(
            overlay, overlayV6, interfaceName,
            files.Select(draft => draft.Config!.Interface.ListenPort).FirstOrDefault(port => port is > 0) ?? NetworkSettings.DefaultListenPort,
            files.Select(draft => draft.Config!.Interface.Mtu).FirstOrDefault(mtu => mtu is not null and not NetworkSettings.DefaultMtu),
            null,
            hub is null ? NetworkShape.Mesh : NetworkShape.Hub,
            hub is { } hubIndex ? names[hubIndex] : null,
            nodes,
            warnings);
        imported = ImportedKeepalive.Apply(imported, keepalives, files.Select(draft => draft.Config!).ToList(), warnings);
        imported = WithAllowedIpsChanges(imported, files, warnings);
        return WithUnreadHooks(imported, hooks, warnings);
    }

    /// <summary>
    /// The node's LAN subnets as its hooks say they are: a prefix the peers route that the node maps 1:1 from a real one
    /// (NETMAP, nftables prefix NAT) is that real prefix, mapped as the routed one. Null map when none is.
    /// </summary>
    private static (IReadOnlyList<IPNetwork> Subnets, IReadOnlyDictionary<IPNetwork, IPNetwork>? MappedAs) Unmapped(IReadOnlyList<IPNetwork> routed, IReadOnlyList<(IPNetwork Real, IPNetwork Mapped)> maps)
    {
        var used = maps.Where(map => routed.Contains(map.Mapped)).DistinctBy(map => map.Mapped).DistinctBy(map => map.Real).ToList();
        if (used.Count == 0)
        {
            return (routed, null);
        }
        return ([.. routed.Select(prefix => used.Where(map => map.Mapped == prefix).Select(map => map.Real).DefaultIfEmpty(prefix).First())],
            used.ToDictionary(map => map.Real, map => map.Mapped));
    }

    private static List<Draft> FileDrafts(IReadOnlyList<(string Path, WgQuickConfig Config)> configs, List<Diagnostic> diagnostics)
    {
        var drafts = new List<Draft>();
        var ownKeys = configs.Select(entry => entry.Config.Interface.PrivateKey?.PublicKey()).OfType<Key>().ToHashSet();
        foreach (var (path, config) in configs)
        {
            var address = config.Interface.Addresses.FirstOrDefault(candidate => candidate.Address.AddressFamily == AddressFamily.InterNetwork);
            if (address is null)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(path, 1, 1), "Address", "no IPv4 Address in [Interface]", "an 'Address =' line with the node's overlay address"));
                continue;
            }
            var publicKey = config.Interface.PrivateKey?.PublicKey() ?? KeyFromPeers(configs, config, address.Address, ownKeys);
            if (publicKey is null)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(path, 1, 1), "PrivateKey", "the node's key is neither in this file nor in a peer entry of another file", "a PrivateKey line, or the configs of this node's peers"));
                continue;
            }
            var addressV6 = config.Interface.Addresses.FirstOrDefault(candidate => candidate.Address.AddressFamily == AddressFamily.InterNetworkV6);
            drafts.Add(new Draft(path, config, publicKey.Value, address.Address, addressV6?.Address));
        }
        foreach (var group in drafts.GroupBy(draft => draft.PublicKey).Where(group => group.Count() > 1))
        {
            var first = group.First().Path;
            diagnostics.AddRange(group.Skip(1).Select(draft => new Diagnostic(new SourceLocation(draft.Path!, 1, 1), "PrivateKey", $"the same key as {first}: one node, two files?", "one config per node")));
        }
        return drafts;
    }

    private static InterfaceAddress InterfaceAddressOf(WgQuickConfig config, IPAddress address) =>
        config.Interface.Addresses.First(candidate => candidate.Address.Equals(address));

    /// <summary>
    /// Peers no file is for, each once in the order they appear: its overlay addresses are the host prefixes of the overlays
    /// among the AllowedIPs others give it; one without an IPv4 one is reported (it could not be told from a route).
    /// </summary>
    private static IEnumerable<Draft> PeersWithoutFile(List<Draft> files, IPNetwork overlay, IPNetwork? overlayV6, List<Diagnostic> diagnostics)
    {
        var known = files.Select(draft => draft.PublicKey).ToHashSet();
        foreach (var file in files)
        {
            foreach (var peer in file.Config!.Peers.Where(peer => known.Add(peer.PublicKey)))
            {
                var entries = files.SelectMany(draft => draft.Config!.Peers).Where(entry => entry.PublicKey == peer.PublicKey).SelectMany(entry => entry.AllowedIps).ToList();
                var address = entries.Where(prefix => prefix.PrefixLength == 32 && overlay.Contains(prefix.BaseAddress)).Select(prefix => prefix.BaseAddress).FirstOrDefault();
                var addressV6 = overlayV6 is { } v6 ? entries.Where(prefix => prefix.PrefixLength == 128 && v6.Contains(prefix.BaseAddress)).Select(prefix => prefix.BaseAddress).FirstOrDefault() : null;
                if (address is null)
                {
                    diagnostics.Add(new Diagnostic(new SourceLocation(file.Path!, 1, 1), "AllowedIPs",
                        $"peer {peer.Name ?? peer.PublicKey.ToBase64()} has no config among the files and no host address of the overlay {overlay} in its AllowedIPs, so it cannot be told where it is",
                        $"its overlay address as a /32 in AllowedIPs, or its config among the files"));
                    continue;
                }
                yield return new Draft(null, null, peer.PublicKey, address, addressV6);
            }
        }
    }

    /// <summary>
    /// A file without PrivateKey (node-local keys) is the peer other files route its address to most specifically (its
    /// /32, or a hub's overlay prefix), among the keys no file holds the private key of and its own file does not peer
    /// with; null when no key, or more than one, fits.
    /// </summary>
    private static Key? KeyFromPeers(IReadOnlyList<(string Path, WgQuickConfig Config)> configs, WgQuickConfig own, IPAddress address, HashSet<Key> ownKeys)
    {
        var ownPeers = own.Peers.Select(peer => peer.PublicKey).ToHashSet();
        var candidates = configs.Where(entry => !ReferenceEquals(entry.Config, own)).SelectMany(entry => entry.Config.Peers)
            .Where(peer => !ownKeys.Contains(peer.PublicKey) && !ownPeers.Contains(peer.PublicKey))
            .SelectMany(peer => peer.AllowedIps.Where(prefix => prefix.Contains(address) && prefix.PrefixLength > 0).Select(prefix => (peer.PublicKey, prefix.PrefixLength)))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var longest = candidates.Max(candidate => candidate.PrefixLength);
        var keys = candidates.Where(candidate => candidate.PrefixLength == longest).Select(candidate => candidate.PublicKey).Distinct().ToList();
        return keys.Count == 1 ? keys[0] : null;
    }

    /// <summary>wg-quick names the interface after its file: the one name the files share, else null (a TODO) and a warning.</summary>
    private static string? InterfaceNameOf(List<string> stems, List<string> warnings)
    {
        if (stems.Distinct().Count() == 1 && TopologyValues.IsInterfaceName(stems[0]))
        {
            return stems[0];
        }
        warnings.Add($"the files are named {string.Join(", ", stems.Distinct().Select(stem => stem + ".conf"))}: wg-quick names each node's interface after its file, and a topology has one tunnel interface for all; network.interface is left TODO");
        return null;
    }

    private static List<string> NamesOf(List<Draft> drafts, IReadOnlyList<(string Path, WgQuickConfig Config)> configs, List<string> stems)
    {
        var names = new List<string>();
        var withoutFile = 0;
        foreach (var draft in drafts)
        {
            var commented = configs.SelectMany(entry => entry.Config.Peers).FirstOrDefault(peer => peer.PublicKey == draft.PublicKey && !string.IsNullOrWhiteSpace(peer.Name))?.Name;
            string fallback;
            if (draft.Path is { } path)
            {
                var stem = Path.GetFileNameWithoutExtension(path);
                fallback = stems.Count(candidate => candidate == stem) > 1 ? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? stem : stem;
            }
            else
            {
                fallback = $"peer{++withoutFile}";
            }
            var name = NameInvalidCharacters().Replace(commented ?? fallback, "-").Trim('-');
            name = name.Length == 0 ? "node" : name;
            var unique = name;
            for (var suffix = 2; names.Contains(unique); suffix++)
            {
                unique = $"{name}-{suffix}";
            }
            names.Add(unique);
        }
        return names;
    }

    private static PublicEndpoint? EndpointOf(Key publicKey, List<Draft> files) =>
        files.SelectMany(draft => draft.Config!.Peers.Where(peer => peer.PublicKey == publicKey).Select(peer => (draft, peer)))
            .Select(entry => entry.peer.Endpoint)
            .FirstOrDefault(value => value is not null) is { } text
            ? TopologyValues.ParseEndpoint(text, NetworkSettings.DefaultListenPort, out _)
            : null;

    /// <summary>
    /// The star's centre: a node with a file whose peers are every other node, while every other file peers with it
    /// alone (so a peer without a file appears in its file only). It must have an endpoint, as a hub's relay does; of two
    /// nodes that peer only with each other, the one with an endpoint.
    /// </summary>
    private static int? HubOf(List<Draft> drafts, List<PublicEndpoint?> endpoints)
    {
        if (drafts.Count < 2)
        {
            return null;
        }
        for (var index = 0; index < drafts.Count; index++)
        {
            var (config, key) = (drafts[index].Config, drafts[index].PublicKey);
            if (config is null || endpoints[index] is null)
            {
                continue;
            }
            var others = drafts.Where(other => other.PublicKey != key).ToList();
            if (config.Peers.Select(peer => peer.PublicKey).ToHashSet().SetEquals(others.Select(other => other.PublicKey))
                && others.All(other => other.Config is null || (other.Config.Peers.Count == 1 && other.Config.Peers[0].PublicKey == key)))
            {
                return index;
            }
        }
        return null;
    }

    /// <summary>In a mesh, the node with a file and an endpoint that carries pairs for others (a relay), if any.</summary>
    private static int? MeshCarrier(List<Draft> drafts, List<PublicEndpoint?> endpoints, List<Draft> files, IPNetwork overlay)
    {
        var index = drafts.FindIndex(draft => draft.Config is not null && CarriesOthers(files, draft.PublicKey, overlay));
        return index >= 0 && endpoints[index] is not null ? index : null;
    }

    /// <summary>Whether other nodes route a third node's overlay address through this one.</summary>
    private static bool CarriesOthers(List<Draft> files, Key publicKey, IPNetwork overlay) =>
        files.Any(draft => draft.Config!.Peers.Any(peer => peer.PublicKey == publicKey
            && peer.AllowedIps.Count(prefix => prefix.PrefixLength == 32 && overlay.Contains(prefix.BaseAddress)) > 1));

    /// <summary>The keepalive a config sends to the peers it dials (those with an Endpoint): the largest; 0 when none; null when it dials nobody.</summary>
    private static int? SentKeepalive(WgQuickConfig config)
    {
        var dialled = config.Peers.Where(peer => peer.Endpoint is not null).ToList();
        return dialled.Count == 0 ? null : dialled.Max(peer => peer.PersistentKeepalive ?? 0);
    }

    /// <summary>
    /// Each file's entries compared with the AllowedIPs the imported design gives: what differs becomes the node's
    /// <c>allowed_ips</c> change for that peer; a peer the design links and the file lacks, or the other way round, a warning.
    /// </summary>
    private static ImportedTopology WithAllowedIpsChanges(ImportedTopology imported, List<Draft> files, List<string> warnings)
    {
        var links = PeerLinks.Compute(ImportedDesign.ToTopology(imported, OsFamily.Ubuntu));
        var keys = imported.Nodes.ToDictionary(node => node.PublicKey, node => node.Name);
        var nodes = imported.Nodes.ToList();
        for (var index = 0; index < files.Count; index++)
        {
            var node = nodes[index];
            var deployed = files[index].Config!.Peers.Where(peer => keys.ContainsKey(peer.PublicKey)).ToDictionary(peer => keys[peer.PublicKey], peer => peer.AllowedIps);
            var changes = new List<AllowedIpsChange>();
            foreach (var link in links[node.Name])
            {
                if (!deployed.TryGetValue(link.Peer.Name, out var allowed))
                {
                    warnings.Add($"{node.Name} has no [Peer] for {link.Peer.Name}, which a {imported.Shape.ToString().ToLowerInvariant()} links it with: a plan adds it");
                    continue;
                }
                var extra = allowed.Where(prefix => !link.AllowedIps.Contains(prefix)).Distinct().ToList();
                var missing = link.AllowedIps.Where(prefix => !allowed.Contains(prefix) && !extra.Any(wider => Covers(wider, prefix))).ToList();
                if (extra.Count + missing.Count > 0)
                {
                    changes.Add(new AllowedIpsChange(link.Peer.Name, extra, missing, new SourceLocation(files[index].Path!, 1, 1)));
                }
            }
            foreach (var unlinked in deployed.Keys.Where(peer => !links[node.Name].Any(link => link.Peer.Name == peer)))
            {
                warnings.Add($"{node.Name} has a [Peer] for {unlinked}, which a {imported.Shape.ToString().ToLowerInvariant()} does not link it with: a plan leaves it out");
            }
            nodes[index] = node with { Overrides = node.Overrides with { AllowedIps = changes } };
        }
        return imported with { Nodes = nodes };
    }

    /// <summary>Whether <paramref name="outer"/> holds all of <paramref name="inner"/> (a full tunnel's /0 holds what the design routes).</summary>
    private static bool Covers(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily && outer.PrefixLength <= inner.PrefixLength && outer.Contains(inner.BaseAddress);

    /// <summary>Every hook part that plan would not write for the imported design (on either OS family) and that is no fact, kept verbatim.</summary>
    private static ImportedTopology WithUnreadHooks(ImportedTopology imported, List<ImportedHooks> hooks, List<string> warnings)
    {
        var planned = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var os in new[] { OsFamily.Ubuntu, OsFamily.Rocky })
        {
            var design = ImportedDesign.ToTopology(imported, os);
            foreach (var nodePlan in InMemoryPlan.Of(design).Nodes)
            {
                var lines = planned.TryGetValue(nodePlan.Name, out var found) ? found : planned[nodePlan.Name] = new HashSet<string>(StringComparer.Ordinal);
                lines.UnionWith(nodePlan.Config.Interface.PostUp);
                lines.UnionWith(nodePlan.Config.Interface.PostDown);
            }
        }
        var nodes = imported.Nodes.ToList();
        for (var index = 0; index < hooks.Count; index++)
        {
            var node = nodes[index];
            var (postUp, postDown) = hooks[index].Unread(planned[node.Name], keepMasquerade: node.PublicInterface is not null);
            foreach (var line in postUp.Select(line => $"PostUp = {line}").Concat(postDown.Select(line => $"PostDown = {line}")))
            {
                warnings.Add($"{node.Name}: kept verbatim, not modelled by verify: {line}");
            }
            nodes[index] = node with { Overrides = node.Overrides with { PostUp = postUp, PostDown = postDown } };
        }
        return imported with { Nodes = nodes };
    }

    private static void ThrowIfAny(List<Diagnostic> diagnostics)
    {
        if (diagnostics.Count > 0)
        {
            throw new DiagnosticsException(diagnostics);
        }
    }
}
