namespace Sitewire.Tunnel.Io;

/// <summary>
/// The tunnel side of the device: IP packets to and from the kernel. Batched: one call moves
/// up to <see cref="BatchSize"/> packets. Every buffer is <see cref="PacketBuffers.BufferSize"/>
/// bytes; packets are read to and written from <c>buffer[offset..]</c> so that the caller can keep
/// room in front for the WireGuard header and encrypt in place.
/// </summary>
public interface ITun : IDisposable
{
    string Name { get; }

    int Mtu { get; }

    int BatchSize { get; }

    /// <summary>
    /// Blocks until at least one packet is available, then reads up to <c>buffers.Length</c>
    /// packets, packet i into <c>buffers[i][offset..]</c> with its length in <c>sizes[i]</c>.
    /// Returns the number read, or 0 once the device is closed or deleted.
    /// </summary>
    int Read(byte[][] buffers, Span<int> sizes, int offset);

    /// <summary>Writes packets i &lt; count from <c>buffers[i][offset .. offset + sizes[i]]</c>.</summary>
    void Write(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset);

    /// <summary>Completes when the interface is deleted or closed (the daemon then exits).</summary>
    Task Closed { get; }
}
