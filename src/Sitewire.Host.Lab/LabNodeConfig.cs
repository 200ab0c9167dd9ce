using Sitewire.Config.WgQuick;

namespace Sitewire.Host.Lab;

/// <summary>A lab node's planned wg-quick config, with the public key of its private key.</summary>
internal sealed record LabNodeConfig(LabTunnel Tunnel, WgQuickConfig Config, string PublicKey)
{
    /// <summary>The nodes whose config has a private key.</summary>
    public static IReadOnlyList<LabNodeConfig> Of(IEnumerable<LabTunnel> tunnels) =>
        tunnels
            .Where(t => t.Config.Interface.PrivateKey is not null)
            .Select(t => new LabNodeConfig(t, t.Config, t.Config.Interface.PrivateKey!.Value.PublicKey().ToBase64()))
            .ToList();

    /// <summary>Each node by its public key, for the keys exactly one node holds.</summary>
    public static Dictionary<string, LabNodeConfig> ByKey(IEnumerable<LabNodeConfig> nodes) =>
        nodes.GroupBy(n => n.PublicKey).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());

    /// <summary>This node's peer entry for <paramref name="other"/>, if it has one.</summary>
    public WgQuickPeer? PeerFor(LabNodeConfig other) => Config.Peers.FirstOrDefault(p => p.PublicKey.ToBase64() == other.PublicKey);
}
