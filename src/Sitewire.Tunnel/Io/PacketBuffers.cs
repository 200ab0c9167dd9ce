namespace Sitewire.Tunnel.Io;

public static class PacketBuffers
{
    /// <summary>Large enough for a 64 KiB GSO/GRO super-packet plus WireGuard overhead.</summary>
    public const int BufferSize = 65536 + 128;
}
