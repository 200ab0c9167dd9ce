namespace Sitewire.Tunnel.Noise;

/// <summary>Where a peer's handshake stands; after a keypair is derived it returns to <see cref="Zeroed"/>.</summary>
public enum HandshakeState
{
    Zeroed,
    InitiationCreated,
    InitiationConsumed,
}
