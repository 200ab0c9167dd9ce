using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;

namespace Sitewire.Tunnel.Noise;

/// <summary>
/// This device's static key pair and what is derived from its public key once: the mac1 key and cookie key
/// that peers use towards us, and the responder's initial handshake hash HASH(Hi || our public key).
/// </summary>
public sealed class LocalIdentity
{
    private LocalIdentity(Key privateKey)
    {
        PrivateKey = privateKey;
        PublicKey = privateKey.PublicKey();
        Mac1Key = Macs.DeriveKey(Constants.LabelMac1, PublicKey);
        CookieKey = Macs.DeriveKey(Constants.LabelCookie, PublicKey);
        InitialHash = NoiseSymmetric.InitialHashFor(PublicKey);
    }

    public Key PublicKey { get; }

    internal Key PrivateKey { get; }

    internal byte[] Mac1Key { get; }

    internal byte[] CookieKey { get; }

    internal byte[] InitialHash { get; }

    /// <summary>Null when <paramref name="privateKey"/> is all zeros (wg's "no private key").</summary>
    public static LocalIdentity? Create(Key privateKey) => privateKey.IsZero ? null : new LocalIdentity(privateKey);
}
