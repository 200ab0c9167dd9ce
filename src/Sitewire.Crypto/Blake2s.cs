using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sitewire.Crypto;

/// <summary>
/// BLAKE2s (RFC 7693), hashes of 1..32 bytes, optionally keyed. Written here because no maintained
/// NuGet package offers BLAKE2s (libsodium and its wrappers ship only BLAKE2b), and WireGuard needs
/// it for every handshake hash, MAC and KDF step. A mutable struct: keep it in a local and pass by ref.
/// </summary>
public unsafe struct Blake2s
{
    public const int BlockSize = 64;
    public const int MaxHashSize = 32;
    public const int MaxKeySize = 32;

    private fixed uint _h[8];
    private fixed byte _buffer[BlockSize];
    private ulong _counter;
    private int _buffered;
    private int _hashSize;

    private static readonly uint[] Iv =
    [
        0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au, 0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u,
    ];

    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    public static Blake2s Create(int hashSize = MaxHashSize, ReadOnlySpan<byte> key = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashSize, MaxHashSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Length, MaxKeySize);
        var state = new Blake2s { _hashSize = hashSize };
        for (var i = 0; i < 8; i++)
        {
            state._h[i] = Iv[i];
        }
        state._h[0] ^= 0x01010000u ^ ((uint)key.Length << 8) ^ (uint)hashSize;
        if (!key.IsEmpty)
        {
            Span<byte> block = stackalloc byte[BlockSize];
            block.Clear();
            key.CopyTo(block);
            state.Update(block);
            block.Clear();
        }
        return state;
    }

    public void Update(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        var free = BlockSize - _buffered;
        if (data.Length > free)
        {
            fixed (byte* buffer = _buffer)
            {
                data[..free].CopyTo(new Span<byte>(buffer + _buffered, free));
                _counter += BlockSize;
                Compress(new ReadOnlySpan<byte>(buffer, BlockSize), false);
            }
            _buffered = 0;
            data = data[free..];
            while (data.Length > BlockSize)
            {
                _counter += BlockSize;
                Compress(data[..BlockSize], false);
                data = data[BlockSize..];
            }
        }
        fixed (byte* buffer = _buffer)
        {
            data.CopyTo(new Span<byte>(buffer + _buffered, BlockSize - _buffered));
        }
        _buffered += data.Length;
    }

    public void Final(Span<byte> output)
    {
        if (output.Length != _hashSize)
        {
            throw new ArgumentException($"output must be {_hashSize} bytes", nameof(output));
        }
        _counter += (ulong)_buffered;
        fixed (byte* buffer = _buffer)
        {
            new Span<byte>(buffer + _buffered, BlockSize - _buffered).Clear();
            Compress(new ReadOnlySpan<byte>(buffer, BlockSize), true);
        }
        Span<byte> full = stackalloc byte[MaxHashSize];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(full[(i * 4)..], _h[i]);
        }
        full[..output.Length].CopyTo(output);
        full.Clear();
        this = default;
    }

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var state = Create(output.Length);
        state.Update(data);
        state.Final(output);
    }

    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output)
    {
        var state = Create(output.Length);
        state.Update(first);
        state.Update(second);
        state.Final(output);
    }

    public static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
    {
        var state = Create(output.Length, key);
        state.Update(data);
        state.Final(output);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref uint a, ref uint b, ref uint c, ref uint d, uint x, uint y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 12);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 8);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 7);
    }

    private void Compress(ReadOnlySpan<byte> block, bool last)
    {
        Span<uint> m = stackalloc uint[16];
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }
        uint v0 = _h[0], v1 = _h[1], v2 = _h[2], v3 = _h[3], v4 = _h[4], v5 = _h[5], v6 = _h[6], v7 = _h[7];
        uint v8 = Iv[0], v9 = Iv[1], v10 = Iv[2], v11 = Iv[3];
        var v12 = Iv[4] ^ (uint)_counter;
        var v13 = Iv[5] ^ (uint)(_counter >> 32);
        var v14 = last ? ~Iv[6] : Iv[6];
        var v15 = Iv[7];
        var sigma = Sigma;
        for (var round = 0; round < 10; round++)
        {
            var s = sigma.Slice(round * 16, 16);
            G(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }
        _h[0] ^= v0 ^ v8;
        _h[1] ^= v1 ^ v9;
        _h[2] ^= v2 ^ v10;
        _h[3] ^= v3 ^ v11;
        _h[4] ^= v4 ^ v12;
        _h[5] ^= v5 ^ v13;
        _h[6] ^= v6 ^ v14;
        _h[7] ^= v7 ^ v15;
    }
}
