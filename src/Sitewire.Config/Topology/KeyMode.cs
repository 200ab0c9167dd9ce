namespace Sitewire.Config.Topology;

/// <summary>
/// <c>central</c>: plan generates every key into <c>OUT/keys/</c> and writes private keys into the configs.
/// <c>node-local</c>: each node creates its own key; configs load it with a PostUp command, the
/// topology carries only public keys.
/// </summary>
public enum KeyMode
{
    Central,
    NodeLocal,
}
