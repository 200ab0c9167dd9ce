using Sitewire.Crypto;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Replay;

namespace Sitewire.Tunnel;

/// <summary>
/// The session keys one completed handshake yields, with the counters that go with them.
/// Transport message (whitepaper 5.4.6): header (type 4, receiver index, counter; little endian), then
/// ChaCha20-Poly1305 under the send key with the counter as nonce of the packet zero-padded to a multiple of 16
/// (or up to the MTU), then the tag; a keepalive encrypts nothing. Seal and open work in place and allocate nothing.
/// Sealing is thread-safe (the counter is taken atomically); <see cref="ReplayWindow"/> is not (see there).
/// </summary>
public sealed class Keypair
{
    private const int HeaderSize = MessageTransportHeader.Size;
    private const int TagSize = Constants.AeadTagSize;

    private readonly byte[] _sendKey;
    private readonly byte[] _receiveKey;
    private readonly ulong _rejectAfterMessages;
    private ulong _sendCounter;
    private volatile bool _cleared;

    internal Keypair(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, bool isInitiator, DateTimeOffset created, uint localIndex, uint remoteIndex, ulong rejectAfterMessages)
    {
        _sendKey = sendKey.ToArray();
        _receiveKey = receiveKey.ToArray();
        _rejectAfterMessages = rejectAfterMessages;
        IsInitiator = isInitiator;
        Created = created;
        LocalIndex = localIndex;
        RemoteIndex = remoteIndex;
        ReplayWindow = new ReplayWindow(rejectAfterMessages);
    }

    /// <summary>True when we sent the initiation; such a keypair may send at once, a responder's waits for a first packet.</summary>
    public bool IsInitiator { get; }

    public DateTimeOffset Created { get; }

    /// <summary>Index peers put in messages to us (our receiver index).</summary>
    public uint LocalIndex { get; }

    /// <summary>Index we put in messages to the peer.</summary>
    public uint RemoteIndex { get; }

    public ReplayWindow ReplayWindow { get; }

    /// <summary>Counters handed out so far (the next counter to use).</summary>
    public ulong SendCounter => Interlocked.Read(ref _sendCounter);

    /// <summary>Total length of the transport message for a packet of <paramref name="packetLength"/> bytes.</summary>
    public static int MessageLength(int packetLength, int mtu = 0) => HeaderSize + PaddedLength(packetLength, mtu) + TagSize;

    /// <summary>
    /// The packet length zero-padded to a multiple of 16, but not past <paramref name="mtu"/> (0: no limit),
    /// as wireguard-go and the kernel pad.
    /// </summary>
    public static int PaddedLength(int packetLength, int mtu = 0)
    {
        var last = mtu > 0 && packetLength > mtu ? packetLength % mtu : packetLength;
        var padded = (last + Constants.PaddingMultiple - 1) & ~(Constants.PaddingMultiple - 1);
        if (mtu > 0 && padded > mtu)
        {
            padded = mtu;
        }
        return packetLength + (padded - last);
    }

    /// <summary>Takes the next send counter; false once <c>RejectAfterMessages</c> counters have been used.</summary>
    public bool TryNextSendCounter(out ulong counter)
    {
        counter = Interlocked.Increment(ref _sendCounter) - 1;
        return counter < _rejectAfterMessages && !_cleared;
    }

    /// <summary>
    /// Encrypts in place. <paramref name="buffer"/> holds the packet at offset 16 (header room), length
    /// <paramref name="packetLength"/>, and must have room for <see cref="MessageLength"/> bytes.
    /// Returns the message length: the message is <c>buffer[..length]</c>.
    /// </summary>
    public int Seal(Span<byte> buffer, int packetLength, ulong counter, int mtu = 0)
    {
        var padded = PaddedLength(packetLength, mtu);
        var length = HeaderSize + padded + TagSize;
        if (buffer.Length < length)
        {
            throw new ArgumentException($"buffer needs {length} bytes for a {packetLength}-byte packet", nameof(buffer));
        }
        buffer.Slice(HeaderSize + packetLength, padded - packetLength).Clear();
        MessageTransportHeader.Write(buffer, RemoteIndex, counter);
        ChaChaPoly.Seal(_sendKey, counter, buffer.Slice(HeaderSize, padded), default, buffer.Slice(HeaderSize, padded + TagSize));
        return length;
    }

    /// <summary>
    /// Authenticates and decrypts a whole transport message in place; the padded packet is then at
    /// <c>message.Slice(16, paddedLength)</c> (empty for a keepalive). False, never an exception, for a message
    /// not of type 4 or too short, for another receiver, with a counter past the limit or a tag that does not verify.
    /// The caller then passes <paramref name="counter"/> to <see cref="ReplayWindow"/>. A message that fails to open
    /// may have its payload overwritten (libsodium zeroes the output): drop it.
    /// </summary>
    public bool TryOpen(Span<byte> message, out ulong counter, out int paddedLength)
    {
        counter = 0;
        paddedLength = 0;
        if (_cleared
            || MessageType.Of(message) != Constants.MessageTransportType
            || MessageTransportHeader.ReadReceiver(message) != LocalIndex)
        {
            return false;
        }
        var candidate = MessageTransportHeader.ReadCounter(message);
        var length = message.Length - HeaderSize - TagSize;
        if (candidate >= _rejectAfterMessages
            || !ChaChaPoly.Open(_receiveKey, candidate, message[HeaderSize..], default, message.Slice(HeaderSize, length)))
        {
            return false;
        }
        counter = candidate;
        paddedLength = length;
        return true;
    }

    /// <summary>Zeroes the keys: no further send counters are handed out and no message opens.</summary>
    public void Clear()
    {
        _cleared = true;
        Array.Clear(_sendKey);
        Array.Clear(_receiveKey);
    }
}
