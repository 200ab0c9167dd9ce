using System.Net;
using BenchmarkDotNet.Attributes;
using Sitewire.Tunnel.Routing;

namespace Sitewire.Benchmarks;

/// <summary>Longest-prefix match on the packet path: IPv4 and IPv6 lookups in a table of 10,000 prefixes over 100 peers.</summary>
[MemoryDiagnoser]
public class AllowedIpsBenchmarks
{
    private const int Prefixes = 10_000;
    private readonly AllowedIps<object> _table = new();
    private byte[][] _ipv4 = [];
    private byte[][] _ipv6 = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var peers = Enumerable.Range(0, 100).Select(_ => new object()).ToArray();
        for (var i = 0; i < Prefixes / 2; i++)
        {
            var v4 = new byte[4];
            random.NextBytes(v4);
            _table.Insert(new IPNetwork(Masked(v4, 16 + (i % 17)), 16 + (i % 17)), peers[i % peers.Length]);
            var v6 = new byte[16];
            random.NextBytes(v6);
            _table.Insert(new IPNetwork(Masked(v6, 32 + (i % 97)), 32 + (i % 97)), peers[i % peers.Length]);
        }
        _ipv4 = [.. Enumerable.Range(0, 1024).Select(_ => RandomBytes(random, 4))];
        _ipv6 = [.. Enumerable.Range(0, 1024).Select(_ => RandomBytes(random, 16))];
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public int LookupIPv4()
    {
        var found = 0;
        foreach (var address in _ipv4)
        {
            found += _table.Lookup(address) is null ? 0 : 1;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public int LookupIPv6()
    {
        var found = 0;
        foreach (var address in _ipv6)
        {
            found += _table.Lookup(address) is null ? 0 : 1;
        }
        return found;
    }

    [Benchmark]
    public AllowedIps<object> Clone() => _table.Clone();

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static IPAddress Masked(byte[] bytes, int length)
    {
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }
}
