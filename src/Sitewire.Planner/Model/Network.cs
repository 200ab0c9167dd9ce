namespace Sitewire.Planner.Model;

/// <summary>The modelled network: hosts by name, segments, and WireGuard interfaces by public key.</summary>
public sealed class Network
{
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly List<Host> _hostOrder = [];
    private readonly Dictionary<string, Segment> _segments = new(StringComparer.Ordinal);
    private Dictionary<string, WireGuardInterface>? _byKey;

    public IReadOnlyList<Host> Hosts => _hostOrder;

    /// <summary>The public internet segment: nodes' public interfaces meet there; it carries no private addresses.</summary>
    public Segment Internet => Segment("internet");

    public Host AddHost(string name, HostRole role)
    {
        var host = new Host(name, role);
        if (!_hosts.TryAdd(name, host))
        {
            throw new ArgumentException($"a host named {name} exists already", nameof(name));
        }
        _hostOrder.Add(host);
        _byKey = null;
        return host;
    }

    public Segment Segment(string name)
    {
        if (!_segments.TryGetValue(name, out var segment))
        {
            segment = new Segment(name);
            _segments.Add(name, segment);
        }
        return segment;
    }

    public Host? Find(string name) => _hosts.GetValueOrDefault(name);

    public Host? FindByAddress(Address address) => _hostOrder.Find(h => h.Owns(address));

    /// <summary>The WireGuard interface holding this public key (the first one when a key is duplicated).</summary>
    public WireGuardInterface? FindByPublicKey(string publicKey)
    {
        _byKey ??= BuildKeyIndex();
        return _byKey.GetValueOrDefault(publicKey);
    }

    /// <summary>Forgets the key index, after WireGuard interfaces were added to hosts.</summary>
    internal void InvalidateIndexes() => _byKey = null;

    private Dictionary<string, WireGuardInterface> BuildKeyIndex()
    {
        var index = new Dictionary<string, WireGuardInterface>(StringComparer.Ordinal);
        foreach (var wireGuard in _hostOrder.SelectMany(h => h.Interfaces.OfType<WireGuardInterface>()))
        {
            index.TryAdd(wireGuard.PublicKey, wireGuard);
        }
        return index;
    }
}
