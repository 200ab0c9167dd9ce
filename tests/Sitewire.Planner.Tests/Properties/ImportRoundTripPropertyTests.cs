using System.Net;
using CsCheck;
using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Planner.Import;
using Sitewire.Planner.Tests.Import;

namespace Sitewire.Planner.Tests.Properties;

/// <summary>
/// import → plan → import gives the same topology, on random designs planned and then changed the way hands change a
/// deployment: an AllowedIPs prefix deleted, a node's PersistentKeepalive deleted, a DROP rule and an unknown line added
/// to a PostUp. The second import reads configs without private keys (node-local), so each node is found by its route.
/// A first import that says it could not keep something (a TODO subnet) is no round trip.
/// </summary>
public sealed class ImportRoundTripPropertyTests
{
    private const string DropLine = "iptables -I FORWARD -i %i -p tcp --dport 445 -j DROP";
    private const string UnknownLine = "ip link set dev %i txqueuelen 500";

    private static readonly Gen<(RandomDesign Design, int Faults, int Pick)> Samples =
        from design in RandomDesign.Gen
        from faults in Gen.Int[0, 15]
        from pick in Gen.Int[0, 1000]
        select (design, faults, pick);

    [Fact]
    public void Import_plan_import_gives_the_same_topology_also_after_hand_made_changes()
    {
        Samples.Sample(sample =>
        {
            var loaded = TopologyLoader.LoadText(sample.Design.Yaml(), "random.yaml");
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
            var configs = Changed(ImportedConfigs.Planned(loaded.Topology), sample.Faults, sample.Pick);

            var first = ConfigImporter.Import(configs);
            var yaml = ImportYamlWriter.Write(first);
            if (yaml.Contains("- TODO ", StringComparison.Ordinal))
            {
                return;
            }
            var second = ConfigImporter.Import(ImportedConfigs.Planned(ImportedConfigs.Fill(yaml), PlanKeysSource.DeclaredPublicKeys));

            Assert.Equal(ImportedConfigs.WithoutSources(first), ImportedConfigs.WithoutSources(second));
        }, iter: 80);
    }

    /// <summary>An IPv4 LAN prefix of the random designs (10.N.M.0/24), not the overlay 10.200.0.0/24 nor a host address.</summary>
    private static bool IsLanPrefix(IPNetwork prefix) =>
        prefix.PrefixLength is > 0 and < 32 && prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPNetwork.Parse("10.200.0.0/24").Contains(prefix.BaseAddress);

    private static List<(string Path, WgQuickConfig Config)> Changed(List<(string Path, WgQuickConfig Config)> configs, int faults, int pick)
    {
        var node = pick % configs.Count;
        if ((faults & 1) != 0 && configs.FindIndex(entry => entry.Config.Peers.Any(peer => peer.AllowedIps.Any(IsLanPrefix))) is var owner and >= 0)
        {
            var config = configs[owner].Config;
            var peer = config.Peers.First(peer => peer.AllowedIps.Any(IsLanPrefix));
            var removed = peer.AllowedIps.First(IsLanPrefix);
            configs[owner] = (configs[owner].Path, config with { Peers = [.. config.Peers.Select(entry => entry == peer ? entry with { AllowedIps = [.. entry.AllowedIps.Where(prefix => prefix != removed)] } : entry)] });
        }
        if ((faults & 2) != 0)
        {
            var config = configs[node].Config;
            configs[node] = (configs[node].Path, config with { Peers = [.. config.Peers.Select(peer => peer with { PersistentKeepalive = null })] });
        }
        if ((faults & 4) != 0)
        {
            var config = configs[node].Config;
            configs[node] = (configs[node].Path, config with { Interface = config.Interface with { PostUp = [.. config.Interface.PostUp, DropLine] } });
        }
        if ((faults & 8) != 0)
        {
            var other = (node + 1) % configs.Count;
            var config = configs[other].Config;
            configs[other] = (configs[other].Path, config with { Interface = config.Interface with { PostUp = [.. config.Interface.PostUp, UnknownLine] } });
        }
        return configs;
    }
}
