using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>
/// Clients as first-class nodes (issue 18 item 2): client-device OS values, <c>dns:</c>, <c>route_all</c>/<c>exit</c>,
/// per-node <c>keys:</c> and <c>gateway: route-only</c> hosts — what each reads to, and each misuse refused at its line.
/// </summary>
public sealed class ClientsLoaderTests
{
    private const string Valid = """
        network:
          overlay: 10.210.0.0/24
          overlay_v6: fd00:210::/120
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
            public_interface: eth0
          - name: office
            endpoint: 198.51.100.7:51820
            public_interface: eth0
            lan:
              interface: eth1
              address: 10.20.0.1/24
          - name: phone
            role: client
            os: android
            dns: [10.20.0.53, "fd00:20::53"]
            route_all: true
          - name: tablet
            role: client
            os: ios
          - name: laptop
            role: client
            os: windows
            keys: node-local
            route_all: true
            exit: relay
          - name: macbook
            role: client
            os: macos
          - name: desktop
            role: client
            os: linux
            post_up: ["logger up"]
        hosts:
          - name: printer
            site: office
            address: 10.20.0.40
            gateway: route-only
            router: 10.20.0.254
          - name: scanner
            site: office
            address: 10.20.0.41
            gateway: route-only
        """;

    private static Sitewire.Config.Topology.Topology Load(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }

    [Fact]
    public void Client_fields_read_and_the_exit_defaults_to_the_hub_relay()
    {
        var topology = Load(Valid);
        var phone = topology.NodeNamed("phone");

        Assert.Equal([OsFamily.Android, OsFamily.Ios, OsFamily.Windows, OsFamily.Macos, OsFamily.Linux], topology.Nodes.Skip(2).Select(node => node.Os));
        Assert.Equal([IPAddress.Parse("10.20.0.53"), IPAddress.Parse("fd00:20::53")], phone.DnsServers);
        Assert.True(phone.RouteAll);
        Assert.Equal("relay", phone.Exit);
        Assert.Equal("relay", topology.NodeNamed("laptop").Exit);
        Assert.Null(topology.NodeNamed("tablet").Exit);
        Assert.Empty(topology.NodeNamed("tablet").DnsServers);
        Assert.All(topology.Nodes.Skip(2), node => Assert.True(node.Os.IsClientDevice()));
        Assert.Equal(["logger up"], topology.NodeNamed("desktop").Kept.PostUp);
    }

    [Fact]
    public void A_node_key_mode_overrides_the_plan_and_clients_default_to_central()
    {
        var topology = Load(Valid);

        Assert.Equal(KeyMode.NodeLocal, topology.NodeNamed("laptop").KeyModeUnder(KeyMode.Central));
        Assert.Equal(KeyMode.Central, topology.NodeNamed("phone").KeyModeUnder(KeyMode.NodeLocal));
        Assert.Equal(KeyMode.NodeLocal, topology.NodeNamed("office").KeyModeUnder(KeyMode.NodeLocal));
        Assert.Equal(KeyMode.Central, topology.NodeNamed("office").KeyModeUnder(KeyMode.Central));
        var declared = Load(Valid.Replace("    os: ios\n", "    os: ios\n    public_key: " + new string('A', 43) + "=\n", StringComparison.Ordinal));
        Assert.Equal(KeyMode.NodeLocal, declared.NodeNamed("tablet").KeyModeUnder(KeyMode.NodeLocal));
    }

    [Fact]
    public void A_route_only_host_keeps_its_router()
    {
        var topology = Load(Valid);

        Assert.Equal(GatewayKind.RouteOnly, topology.FindHost("printer")!.Gateway);
        Assert.Equal(IPAddress.Parse("10.20.0.254"), topology.FindHost("printer")!.Router);
        Assert.Null(topology.FindHost("scanner")!.Router);
    }

    [Theory]
    [InlineData("    os: android\n", "    os: android\n    lan: {interface: eth1, address: 10.30.0.1/24}\n", "    lan: {interface", "nodes[2].lan", "os android is a client device, which forwards nothing: no LAN can sit behind it")]
    [InlineData("    role: client\n    os: android\n", "    os: android\n    lan: {interface: eth1, address: 10.30.0.1/24}\n", "    os: android", "nodes[2].os", "os android is a client device, which forwards nothing: it cannot be a site (the role its other fields give it, with no 'role:')")]
    [InlineData("    os: ios\n", "    os: ios\n    nat: masquerade\n", "    nat:", "nodes[3].nat", "nat mode needs a LAN")]
    [InlineData("  - name: macbook\n    role: client\n", "  - name: macbook\n    role: relay\n", "    role: relay\n    os: macos", "nodes[5].role", "os macos is a client device, which forwards nothing: it cannot be a relay")]
    [InlineData("    os: macos\n", "    os: macos\n    docker: true\n", "    docker:", "nodes[5].docker", "Docker's forwarding rules are a server's")]
    [InlineData("    os: ios\n", "    os: ios\n    post_up: [\"logger up\"]\n", "    post_up:", "nodes[3].post_up", "the WireGuard app on ios runs no PostUp/PostDown lines")]
    [InlineData("    os: windows\n", "    os: windows\n    drop: [{chain: forward}]\n", "    drop:", "nodes[4].drop", "the WireGuard app on windows runs no PostUp/PostDown lines")]
    [InlineData("    endpoint: 198.51.100.7:51820\n", "    endpoint: 198.51.100.7:51820\n    dns: [10.20.0.53]\n", "    dns:", "nodes[1].dns", "dns applies to a client, and this node has role site")]
    [InlineData("    role: relay\n", "    role: relay\n    route_all: true\n", "    route_all:", "nodes[0].route_all", "route_all applies to a client, and this node has role relay")]
    [InlineData("    os: ios\n", "    os: ios\n    exit: relay\n", "    exit:", "nodes[3].exit", "this client does not route all its traffic")]
    [InlineData("dns: [10.20.0.53, \"fd00:20::53\"]", "dns: [10.20.0.53, dns.example]", "dns.example", "nodes[2].dns[1]", "'dns.example' is not an IP address")]
    [InlineData("dns: [10.20.0.53, \"fd00:20::53\"]", "dns: [10.20.0.53, 53]", "53]", "nodes[2].dns[1]", "'53' is not an IP address")]
    [InlineData("    keys: node-local\n", "    keys: local\n", "    keys:", "nodes[4].keys", "'local' is not a valid value")]
    [InlineData("    exit: relay\n", "    exit: relya\n", "    exit:", "nodes[4].exit", "no node named 'relya'; did you mean 'relay'?")]
    [InlineData("    exit: relay\n", "    exit: tablet\n", "    exit:", "nodes[4].exit", "'tablet' is a client, which forwards nothing")]
    [InlineData("    exit: relay\n", "    exit: laptop\n", "    exit:", "nodes[4].exit", "a client cannot be its own exit")]
    [InlineData("    exit: relay\n", "    exit: office\n", "    exit:", "nodes[4].exit", "in a hub the client peers only with the hub relay 'relay', so 'office' cannot be its exit")]
    [InlineData("    endpoint: 203.0.113.10:51820\n    public_interface: eth0\n", "    endpoint: 203.0.113.10:51820\n", "    route_all: true\n    exit", "nodes[4].exit", "exit 'relay' has no public_interface")]
    [InlineData("    gateway: route-only\n    router: 10.20.0.254\n", "    gateway: route-only\n    router: 10.20.0.1\n", "    router: 10.20.0.1", "hosts[0].router", "10.20.0.1 is office's own LAN address, not a LAN router's")]
    [InlineData("    gateway: route-only\n    router: 10.20.0.254\n", "    gateway: route-only\n    router: 10.99.0.254\n", "    router: 10.99", "hosts[0].router", "10.99.0.254 is not a router printer can reach")]
    [InlineData("    address: 10.20.0.40\n", "    address: 10.20.0.1\n", "    gateway: route-only\n    router: 10.20.0.254", "hosts[0].gateway", "printer's address 10.20.0.1 is office's own LAN address")]
    public void Misuse_is_refused_at_the_field(string find, string replace, string at, string field, string message)
    {
        var text = Valid.Replace(find, replace, StringComparison.Ordinal);
        var (line, column) = Position(text, at, field);
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);
    }

    [Fact]
    public void The_default_exit_is_refused_at_route_all_when_there_is_no_hub_relay_to_default_to()
    {
        var text = Valid.Replace("  hub: relay\n", "  shape: mesh\n", StringComparison.Ordinal).Replace("    role: relay\n", "    role: site\n", StringComparison.Ordinal);
        var (line, column) = Position(text, "    route_all: true\n  - name: tablet", "nodes[2].route_all");

        var diagnostic = Assert.Single(TopologyLoader.LoadText(text, "t.yaml").Diagnostics, d => d.Field == "nodes[2].route_all");

        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("no exit for the full tunnel: there is no hub relay to default to", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_all_is_refused_beside_the_flow_policy()
    {
        var text = Valid.Replace("  hub: relay\n", "  hub: relay\n  policy: flows\n", StringComparison.Ordinal);
        var diagnostic = Assert.Single(TopologyLoader.LoadText(text, "t.yaml").Diagnostics, d => d.Field == "nodes[2].route_all");
        Assert.Contains("route_all does not work with network.policy: flows yet", diagnostic.Message, StringComparison.Ordinal);
    }

    /// <summary>Line and column (1-based) where <paramref name="at"/> starts its value's key: the field's own position, past the indentation.</summary>
    private static (int Line, int Column) Position(string text, string at, string field)
    {
        var index = text.IndexOf(at, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{at}' not in the edited text for {field}");
        var key = field[(field.LastIndexOf('.') + 1)..].Split('[')[0];
        var keyIndex = text.IndexOf(key + ":", index, StringComparison.Ordinal);
        var valueIndex = field.EndsWith(']') ? index : keyIndex + key.Length + 2;
        var line = text[..valueIndex].Count(c => c == '\n') + 1;
        var column = valueIndex - text.LastIndexOf('\n', valueIndex - 1);
        return (line, column);
    }
}
