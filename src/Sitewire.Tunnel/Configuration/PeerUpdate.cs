using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Configuration;

/// <summary>The changes to one peer within a <see cref="DeviceUpdate"/>.</summary>
public sealed class PeerUpdate
{
    public PeerUpdate(Key publicKey) => PublicKey = publicKey;

    public Key PublicKey { get; }

    public bool Remove { get; set; }

    /// <summary>Only change the peer if it exists; never create it.</summary>
    public bool UpdateOnly { get; set; }

    /// <summary>An all-zero key removes the preshared key.</summary>
    public Key? PresharedKey { get; set; }

    public Endpoint? Endpoint { get; set; }

    /// <summary>Seconds; 0 turns persistent keepalive off.</summary>
    public ushort? PersistentKeepaliveInterval { get; set; }

    public bool ReplaceAllowedIps { get; set; }

    /// <summary>In request order; prefixes are already masked to their length.</summary>
    public List<AllowedIpChange> AllowedIps { get; } = [];
}

/// <summary>Add (or, with <see cref="Remove"/>, delete) one allowed-ip prefix.</summary>
public readonly record struct AllowedIpChange(IPNetwork Prefix, bool Remove);
