using Sitewire.Host.Live;
using Sitewire.Host.Tests.Doctor;
using Sitewire.Netfilter;
using Sitewire.Planner.Model;
using Sitewire.Planner.Verify;
using ModelHost = Sitewire.Planner.Model.Host;

namespace Sitewire.Host.Tests.Live;

/// <summary>
/// The doctor's evaluator on a node's recorded live rules says what verify's model of the planned rules says, packet for packet:
/// input and forward verdicts on every pair of the node's interfaces, new and established, and masquerade on the way out. The
/// seed lab's nodes as `sitewire lab snapshot` recorded them (relay and office: RHEL with firewalld; home: Ubuntu, nftables), and
/// the home node as recorded from iptables-nft.
/// </summary>
public class LiveNetfilterTests
{
    private static readonly string[] Addresses = ["192.168.3.50", "192.168.200.1", "192.168.200.2", "172.18.3.20", "172.17.50.10", "203.0.113.10", "198.51.100.7"];

    public static TheoryData<string, string> Recordings => new()
    {
        { "relay", "seed-lab" },
        { "office", "seed-lab" },
        { "home", "seed-lab" },
        { "home", "iptables-nft" },
    };

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Live_verdicts_equal_the_planned_ones(string node, string recording)
    {
        var host = ModelBuilder.Build(InMemoryPlan.Load(SeedLab.Topology)).Find(node)!;
        var snapshot = recording == "iptables-nft" ? IptablesNftSnapshots.Home() : SeedLab.Snapshot(node);
        var live = new LiveNetfilter(node, snapshot.Ruleset, snapshot.Firewalld);
        var planned = new PlannedNetfilter(host);
        var names = host.Interfaces.Select(i => i.Name).ToList();
        var differences = new List<string>();
        var compared = 0;
        foreach (var packet in Packets(host))
        {
            foreach (var inInterface in names)
            {
                foreach (var outInterface in names.Where(o => o != inInterface).Append(null))
                {
                    var chain = outInterface is null ? Chain.Input : Chain.Forward;
                    foreach (var established in new[] { false, true })
                    {
                        compared++;
                        var liveDrop = live.Check(chain, inInterface, outInterface, packet, established);
                        var plannedDrop = planned.Check(chain, inInterface, outInterface, packet, established);
                        if ((liveDrop is null) != (plannedDrop is null))
                        {
                            differences.Add($"{chain} {inInterface}->{outInterface ?? "(host)"} {packet} established={established}: live {liveDrop?.ToString() ?? "accepts"}, planned {plannedDrop?.ToString() ?? "accepts"}");
                        }
                    }
                }
                if (live.Masquerades(inInterface, packet) != planned.Masquerades(inInterface, packet))
                {
                    differences.Add($"masquerade out {inInterface} {packet}: live {live.Masquerades(inInterface, packet)}, planned {planned.Masquerades(inInterface, packet)}");
                }
            }
        }
        Assert.True(differences.Count == 0, $"{differences.Count} of {compared} verdicts differ:\n{string.Join('\n', differences.Take(40))}");
        Assert.True(compared > 1000, $"{compared} verdicts compared");
    }

    /// <summary>
    /// The rules verify evaluates for a node (the ones it starts with and the plan's, as values) are the rules `lab snapshot` read
    /// from it, chain by chain, rule by rule and in order: one model, not two readings of the same thing. firewalld's own tables
    /// are left out (its zones are judged as zones on both sides).
    /// </summary>
    [Theory]
    [MemberData(nameof(Recordings))]
    public void The_planned_rules_are_the_live_ones_rule_for_rule(string node, string recording)
    {
        var planned = ModelBuilder.Build(InMemoryPlan.Load(SeedLab.Topology)).Find(node)!.Ruleset;
        var live = (recording == "iptables-nft" ? IptablesNftSnapshots.Home() : SeedLab.Snapshot(node)).Ruleset;
        var chains = planned.Rules.Concat(live.Rules).Where(r => r.Table != "firewalld").Select(r => (r.Family, r.Table, r.Chain)).Distinct().ToList();
        var differences = new List<string>();
        foreach (var (family, table, chain) in chains)
        {
            var plannedRules = planned.Rules.Where(r => (r.Family, r.Table, r.Chain) == (family, table, chain)).ToList();
            var liveRules = live.Rules.Where(r => (r.Family, r.Table, r.Chain) == (family, table, chain)).ToList();
            if (plannedRules.Count != liveRules.Count || plannedRules.Zip(liveRules).Any(pair => !pair.First.Means(pair.Second)))
            {
                differences.Add($"{family} {table} {chain}:\n  planned: {string.Join("\n           ", plannedRules.Select(r => r.Text))}\n  live:    {string.Join("\n           ", liveRules.Select(r => r.Text))}");
            }
            if (planned.Chain(family, table, chain) is { Hook: not null } plannedChain && live.Chain(family, table, chain)?.Policy != plannedChain.Policy)
            {
                differences.Add($"{family} {table} {chain}: planned policy {plannedChain.Policy}, live {live.Chain(family, table, chain)?.Policy ?? "no chain"}");
            }
        }
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    [Fact]
    public void A_live_drop_names_the_chain_and_how_to_let_the_packet_through()
    {
        var snapshot = IptablesNftSnapshots.Home().WithoutForwardAccept(IpFamily.V4, "wireguard0", "ens3");
        var live = new LiveNetfilter("home", snapshot.Ruleset, null);
        var packet = new Packet(Protocol.Tcp, Address.Parse("172.18.3.20"), 40000, Address.Parse("192.168.3.50"), 80);

        var drop = live.Check(Chain.Forward, "wireguard0", "ens3", packet, established: false);

        Assert.NotNull(drop);
        Assert.Contains("forwarded wireguard0 → ens3", drop.Reason, StringComparison.Ordinal);
        Assert.Contains("iifname \"wireguard0\" oifname \"ens3\"", drop.Fix, StringComparison.Ordinal);
    }

    private static IEnumerable<Packet> Packets(ModelHost host)
    {
        var addresses = Addresses.Concat(host.Interfaces.SelectMany(i => i.Addresses).Select(a => a.Address.ToString())).Distinct().Select(Address.Parse).ToList();
        foreach (var source in addresses)
        {
            foreach (var destination in addresses.Where(d => d != source))
            {
                yield return new Packet(Protocol.Tcp, source, 40000, destination, 80);
                yield return new Packet(Protocol.Udp, source, 40000, destination, 51820);
                yield return new Packet(Protocol.Icmp, source, 0, destination, 0);
            }
        }
    }
}
