using Sitewire.Crypto;

namespace Sitewire.Planner.Keys;

/// <summary>
/// The keys a plan uses: each node's public key, its private key when keys are central, and the
/// preshared key of each link when asked for. Links are keyed by the two node names in ordinal order.
/// </summary>
public sealed class PlanKeys
{
    private readonly Dictionary<string, Key> _publicKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Key> _privateKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), Key> _presharedKeys = [];

    public Key PublicKey(string node) => _publicKeys[node];

    public Key? PrivateKey(string node) => _privateKeys.TryGetValue(node, out var key) ? key : null;

    public Key? PresharedKey(string nodeA, string nodeB) =>
        _presharedKeys.TryGetValue(LinkId(nodeA, nodeB), out var key) ? key : null;

    public IEnumerable<(string Node, Key PrivateKey)> PrivateKeys =>
        _privateKeys.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value));

    public IEnumerable<(string NodeA, string NodeB, Key Key)> PresharedKeys =>
        _presharedKeys.OrderBy(pair => pair.Key.Item1, StringComparer.Ordinal).ThenBy(pair => pair.Key.Item2, StringComparer.Ordinal)
            .Select(pair => (pair.Key.Item1, pair.Key.Item2, pair.Value));

    public void SetPrivate(string node, Key privateKey)
    {
        _privateKeys[node] = privateKey;
        _publicKeys[node] = privateKey.PublicKey();
    }

    public void SetPublic(string node, Key publicKey) => _publicKeys[node] = publicKey;

    public void SetPreshared(string nodeA, string nodeB, Key key) => _presharedKeys[LinkId(nodeA, nodeB)] = key;

    public bool HasPublic(string node) => _publicKeys.ContainsKey(node);

    public static (string, string) LinkId(string nodeA, string nodeB) =>
        string.CompareOrdinal(nodeA, nodeB) <= 0 ? (nodeA, nodeB) : (nodeB, nodeA);
}
