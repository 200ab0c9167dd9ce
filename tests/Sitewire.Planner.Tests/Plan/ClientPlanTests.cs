using System.Net;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>
/// Clients in the plan (issue 18 item 2): every client gets a complete config and its QR code in every key mode, a node's
/// own key mode wins over the plan's, DNS and the full tunnel reach the config, the exit forwards and masquerades, and
/// a client device gets no hook lines.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClientPlanTests
{
    private static readonly string Design = $"""
        network:
          overlay: 10.210.0.0/24
          interface: wg0
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
            public_interface: eth0
            public_key: {PlanFixtures.TestKey("relay").PublicKey().ToBase64()}
          - name: office
            os: rocky
            public_key: {PlanFixtures.TestKey("office").PublicKey().ToBase64()}
            lan:
              interface: ens33
              address: 10.20.0.1/24
          - name: phone
            role: client
            os: android
            dns: [10.20.0.53]
            route_all: true
          - name: tablet
            role: client
            os: ios
          - name: laptop
            role: client
            os: windows
          - name: macbook
            role: client
            os: macos
          - name: desktop
            role: client
            os: linux
          - name: server-client
            role: client
        """;

    private static readonly string[] Clients = ["phone", "tablet", "laptop", "macbook", "desktop", "server-client"];

    private static SortedDictionary<string, byte[]> PlanIn(TemporaryDirectory temporary, KeyMode mode, string topology, List<string>? notes = null)
    {
        var file = Path.Combine(temporary.Path, "clients.yaml");
        File.WriteAllText(file, topology);
        if (mode == KeyMode.Central)
        {
            PlanFixtures.SeedKeys(temporary.Output, PlanFixtures.Load(file));
        }
        Assert.Empty(PlanGenerator.Generate(file, temporary.Output, new PlanRequest(mode), notes is null ? null : notes.Add));
        return PlanFixtures.Snapshot(temporary.Output);
    }

    [Theory]
    [InlineData(KeyMode.Central)]
    [InlineData(KeyMode.NodeLocal)]
    public void Every_client_gets_a_complete_config_and_its_qr_code_in_every_key_mode(KeyMode mode)
    {
        using var temporary = new TemporaryDirectory();
        var files = PlanIn(temporary, mode, Design);

        foreach (var client in Clients)
        {
            var config = System.Text.Encoding.UTF8.GetString(files[$"{client}/wg0.conf"]);
            Assert.Contains("PrivateKey = ", config, StringComparison.Ordinal);
            Assert.DoesNotContain("private-key", config, StringComparison.Ordinal);
            Assert.True(files[$"{client}/wg0.png"].AsSpan(0, 8).SequenceEqual<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), $"{client}: no PNG");
            Assert.Contains('█', System.Text.Encoding.UTF8.GetString(files[$"{client}/wg0.qr.txt"]));
            Assert.Contains($"keys/{client}.key", files.Keys);
        }
        var relay = System.Text.Encoding.UTF8.GetString(files["relay/wg0.conf"]);
        Assert.Equal(mode == KeyMode.NodeLocal, relay.Contains("PostUp = wg set %i private-key /etc/wireguard/wg0.key", StringComparison.Ordinal));
        Assert.Equal(mode == KeyMode.Central, files.ContainsKey("keys/relay.key"));
    }

    [Fact]
    public void A_node_key_mode_wins_over_the_plan_and_a_re_plan_keeps_every_key()
    {
        using var temporary = new TemporaryDirectory();
        var topology = Design
            .Replace("    os: linux\n", "    os: linux\n    keys: node-local\n    public_key: " + PlanFixtures.TestKey("desktop").PublicKey().ToBase64() + "\n", StringComparison.Ordinal)
            .Replace("    os: rocky\n    public_key: " + PlanFixtures.TestKey("office").PublicKey().ToBase64() + "\n", "    os: rocky\n    keys: central\n", StringComparison.Ordinal);
        var notes = new List<string>();
        var first = PlanIn(temporary, KeyMode.NodeLocal, topology, notes);

        var desktop = System.Text.Encoding.UTF8.GetString(first["desktop/wg0.conf"]);
        Assert.DoesNotContain("PrivateKey = ", desktop, StringComparison.Ordinal);
        Assert.Contains("PostUp = wg set %i private-key /etc/wireguard/wg0.key", desktop, StringComparison.Ordinal);
        Assert.DoesNotContain("desktop/wg0.png", first.Keys);
        Assert.Contains("keys/office.key", first.Keys);
        Assert.DoesNotContain("keys/relay.key", first.Keys);
        Assert.Equal(["new keys for office, phone, tablet, laptop, macbook, server-client (a new output directory; to keep the keys of an earlier plan, use --keys-from DIR)"], notes);

        Assert.Empty(PlanGenerator.Generate(Path.Combine(temporary.Path, "clients.yaml"), temporary.Output, new PlanRequest()));
        PlanFixtures.AssertSameFiles(first, PlanFixtures.Snapshot(temporary.Output));
    }

    [Fact]
    public void Dns_full_tunnel_and_the_exit_egress_reach_the_plan()
    {
        var topology = TopologyLoaderFor(Design);
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));
        var phone = plan.Nodes.Single(n => n.Name == "phone");
        var relay = plan.Nodes.Single(n => n.Name == "relay");

        Assert.Equal(["10.20.0.53"], phone.Config.Interface.Dns);
        Assert.Equal([IPNetwork.Parse("0.0.0.0/0")], Assert.Single(phone.Config.Peers).AllowedIps);
        Assert.Empty(phone.Config.Interface.PostUp);
        Assert.Equal([IPNetwork.Parse("10.210.0.0/24"), IPNetwork.Parse("10.20.0.0/24")], plan.Nodes.Single(n => n.Name == "tablet").Config.Peers[0].AllowedIps);
        Assert.Equal([IPNetwork.Parse($"{phone.Node.OverlayAddress}/32")], relay.Config.Peers.Single(p => p.Name == "phone").AllowedIps);
        Assert.Contains(new NatRule(NatKind.Masquerade, "eth0", IPNetwork.Parse($"{phone.Node.OverlayAddress}/32")), relay.Rules.Nat);
        Assert.Contains(new ForwardAccept("wg0", "eth0"), relay.Rules.Firewall.ForwardAccepts);
        Assert.Contains(relay.Hooks.PostUp, line => line.Contains($"-s {phone.Node.OverlayAddress}/32 -o eth0", StringComparison.Ordinal) && line.Contains("MASQUERADE", StringComparison.Ordinal));
        Assert.DoesNotContain(relay.Rules.Nat, rule => rule.SourcePrefix.BaseAddress.Equals(plan.Nodes.Single(n => n.Name == "tablet").Node.OverlayAddress));
    }

    [Fact]
    public void A_full_tunnel_with_an_ipv6_overlay_routes_both_families_and_the_exit_masquerades_both()
    {
        var topology = TopologyLoaderFor(Design.Replace("  overlay: 10.210.0.0/24\n", "  overlay: 10.210.0.0/24\n  overlay_v6: fd00:210::/120\n", StringComparison.Ordinal));
        var plan = NetworkPlanner.Plan(topology, new PlanOptions(), PlanFixtures.TestKeys(topology));
        var phone = plan.Nodes.Single(n => n.Name == "phone");

        Assert.Equal([IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")], Assert.Single(phone.Config.Peers).AllowedIps);
        Assert.Contains(plan.Nodes.Single(n => n.Name == "relay").Rules.Nat, rule => rule.SourcePrefix == new IPNetwork(phone.Node.OverlayAddressV6!, 128));
    }

    private static Sitewire.Config.Topology.Topology TopologyLoaderFor(string text)
    {
        var result = TopologyLoader.LoadText(text, "clients.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }
}
