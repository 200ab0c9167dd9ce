using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.RateLimiting;

/// <summary>
/// Limits handshake messages per source address while the device is under load: a token bucket of
/// <see cref="PacketsPerSecond"/> refill and <see cref="PacketsBurstable"/> burst per IPv4 address or
/// IPv6 /64 (wireguard-go's ratelimiter, with the kernel's "at least one packet's cost" test). Entries idle for <see cref="GarbageCollectTime"/> are dropped; when the
/// table holds its maximum number of sources, new sources are refused. Thread-safe.
/// </summary>
public sealed class HandshakeRateLimiter
{
    public const int PacketsPerSecond = 20;
    public const int PacketsBurstable = 5;
    public const int DefaultMaxEntries = 1 << 16;
    public static readonly TimeSpan GarbageCollectTime = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, Bucket> _buckets = [];
    private readonly TimeProvider _time;
    private readonly int _maxEntries;
    private readonly long _packetCost;
    private readonly long _maxTokens;
    private readonly long _garbageCollectTicks;
    private long _lastCollection;

    public HandshakeRateLimiter(TimeProvider time, int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _time = time;
        _maxEntries = maxEntries;
        _packetCost = time.TimestampFrequency / PacketsPerSecond;
        _maxTokens = _packetCost * PacketsBurstable;
        _garbageCollectTicks = (long)(GarbageCollectTime.TotalSeconds * time.TimestampFrequency);
        _lastCollection = time.GetTimestamp();
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>True when a handshake message from <paramref name="source"/> may be processed now.</summary>
    public bool Allow(Endpoint source)
    {
        var key = SourceKey(source);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            CollectGarbage(now);
            ref var bucket = ref CollectionsMarshal.GetValueRefOrNullRef(_buckets, key);
            if (Unsafe.IsNullRef(ref bucket))
            {
                if (_buckets.Count >= _maxEntries)
                {
                    return false;
                }
                _buckets[key] = new Bucket(_maxTokens - _packetCost, now);
                return true;
            }
            bucket.Tokens = Math.Min(_maxTokens, bucket.Tokens + (now - bucket.LastTime));
            bucket.LastTime = now;
            if (bucket.Tokens >= _packetCost)
            {
                bucket.Tokens -= _packetCost;
                return true;
            }
            return false;
        }
    }

    private void CollectGarbage(long now)
    {
        if (now - _lastCollection < _garbageCollectTicks)
        {
            return;
        }
        _lastCollection = now;
        foreach (var (key, bucket) in _buckets)
        {
            if (now - bucket.LastTime > _garbageCollectTicks)
            {
                _buckets.Remove(key);
            }
        }
    }

    /// <summary>IPv4 addresses count whole; IPv6 addresses by their /64, since one host usually holds a whole /64.</summary>
    private static UInt128 SourceKey(Endpoint source)
    {
        Span<byte> address = stackalloc byte[16];
        source.WriteAddress16(address);
        if (!source.IsIPv4)
        {
            address[8..].Clear();
        }
        return BinaryPrimitives.ReadUInt128BigEndian(address);
    }

    private struct Bucket(long tokens, long lastTime)
    {
        public long Tokens = tokens;
        public long LastTime = lastTime;
    }
}
