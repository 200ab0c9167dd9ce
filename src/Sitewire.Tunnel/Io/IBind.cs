namespace Sitewire.Tunnel.Io;

/// <summary>
/// The network side of the device: UDP datagrams to and from peers, batched. One bind serves
/// IPv4 and IPv6 on the same port.
/// </summary>
public interface IBind : IDisposable
{
    int BatchSize { get; }

    /// <summary>Binds to <paramref name="port"/> (0 picks a random free one) and returns the port in use.
    /// Calling it again replaces the old sockets once the new ones are bound (pending receives then return 0);
    /// when the new port cannot be had it throws and the old sockets keep serving.</summary>
    ushort Open(ushort port);

    void Close();

    /// <summary>Sets SO_MARK on the sockets, now and on those a later <see cref="Open"/> creates (0 clears it);
    /// when it throws, the sockets keep the mark they had.</summary>
    void SetMark(uint mark);

    /// <summary>
    /// Blocks until at least one datagram arrives, then fills up to <c>buffers.Length</c> datagrams,
    /// with lengths in <paramref name="sizes"/> and senders in <paramref name="endpoints"/>.
    /// Returns the number received, or 0 when the bind was closed.
    /// </summary>
    int Receive(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints);

    /// <summary>
    /// Sends datagrams i &lt; count, <c>buffers[i][offset .. offset + sizes[i]]</c>, all to <paramref name="endpoint"/>, from
    /// its local address when it has one. False when that local address could not be used (gone): the datagrams then
    /// went from the address the kernel chose, and the caller should forget the local address.
    /// </summary>
    bool Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint);
}
