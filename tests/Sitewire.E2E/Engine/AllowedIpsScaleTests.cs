using System.Net;
using Sitewire.Crypto;
using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Namespaces;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// 10,000 allowed-ips (IPv4 and IPv6, host and network prefixes) go into a daemon over UAPI — once with
/// `wg setconf` (one peer), once with one `wg set` spreading them over four peers (one command-line argument
/// must stay under 128 KiB) — and `wg show IF allowed-ips` gives back exactly the same sets.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class AllowedIpsScaleTests(ITestOutputHelper output)
{
    private const int PrefixCount = 10_000;

    public static TheoryData<string, string> Matrix
    {
        get
        {
            var rows = new TheoryData<string, string>();
            foreach (var implementation in ImplementationMatrix.Single)
            {
                rows.Add(implementation, "setconf");
                rows.Add(implementation, "set");
            }
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Ten_thousand_allowed_ips_are_read_back_intact(string implementation, string tool)
    {
        var prefix = NetworkNamespace.UniquePrefix();
        using var ns = NetworkNamespace.Create(prefix + "a");
        using var daemon = WireGuardDaemon.Start(implementation, ns, prefix + "w");
        using var work = new TemporaryDirectory();
        var prefixes = DistinctPrefixes(new Random(10_000), PrefixCount);
        var peerCount = tool == "set" ? 4 : 1;
        var expected = Enumerable.Range(0, peerCount).ToDictionary(
            _ => Key.GeneratePrivate().PublicKey().ToBase64(),
            _ => new HashSet<string>());
        var keys = expected.Keys.ToArray();
        for (var i = 0; i < prefixes.Count; i++)
        {
            expected[keys[i % peerCount]].Add(prefixes[i]);
        }

        if (tool == "setconf")
        {
            var file = Path.Combine(work.Path, "big.conf");
            File.WriteAllText(file, $"[Interface]\nListenPort = 51820\n\n[Peer]\nPublicKey = {keys[0]}\nAllowedIPs = {string.Join(", ", expected[keys[0]])}\n");
            daemon.Wg("setconf", daemon.InterfaceName, file);
        }
        else
        {
            List<string> arguments = ["set", daemon.InterfaceName];
            foreach (var (key, set) in expected)
            {
                arguments.AddRange(["peer", key, "allowed-ips", string.Join(',', set)]);
            }
            daemon.Wg([.. arguments]);
        }

        var actual = ParseAllowedIps(daemon.Wg("show", daemon.InterfaceName, "allowed-ips"));
        output.WriteLine($"{implementation}: {actual.Values.Sum(s => s.Count)} allowed-ips read back over {actual.Count} peers");
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, set) in expected)
        {
            var missing = set.Except(actual[key]).Take(5).ToList();
            var extra = actual[key].Except(set).Take(5).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"peer {key}: {set.Count} set, {actual[key].Count} read back; missing e.g. {string.Join(" ", missing)}; extra e.g. {string.Join(" ", extra)}");
        }
        Assert.True(daemon.IsRunning, daemon.Describe());
    }

    /// <summary>Canonical (host bits zero), distinct prefixes: IPv4 /32 and /24, IPv6 /128 and /64, in the textual form wg prints.</summary>
    private static List<string> DistinctPrefixes(Random random, int count)
    {
        var prefixes = new HashSet<string>();
        var ordered = new List<string>();
        while (ordered.Count < count)
        {
            var text = random.Next(4) switch
            {
                0 => $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}/32",
                1 => $"172.{random.Next(16, 32)}.{random.Next(256)}.0/24",
                2 => $"{new IPAddress([0xfd, 0, .. RandomBytes(random, 14)])}/128",
                _ => $"{new IPAddress([0xfd, 1, .. RandomBytes(random, 6), 0, 0, 0, 0, 0, 0, 0, 0])}/64",
            };
            if (prefixes.Add(text))
            {
                ordered.Add(text);
            }
        }
        return ordered;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>`wg show IF allowed-ips`: one line per peer, "KEY\tPREFIX PREFIX ..." (or "(none)").</summary>
    private static Dictionary<string, HashSet<string>> ParseAllowedIps(string text)
    {
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            result[fields[0]] = fields.Length < 2 || fields[1] == "(none)"
                ? []
                : [.. fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        return result;
    }
}
