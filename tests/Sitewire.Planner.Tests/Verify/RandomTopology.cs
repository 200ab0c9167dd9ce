using System.Globalization;
using System.Text;

namespace Sitewire.Planner.Tests.Verify;

/// <summary>
/// Random hub or mesh topologies as YAML: a relay, sites with LANs (masquerade or routed, some behind NAT, some with
/// endpoints in a mesh), LAN hosts with every gateway kind, and flows between hosts. The same seed gives the same
/// topology; <see cref="Yaml"/> writes nodes, hosts and flows in an order shuffled by another seed.
/// </summary>
internal sealed class RandomTopology
{
    private readonly bool _mesh;
    private readonly List<string> _nodes = [];
    private readonly List<string> _hosts = [];
    private readonly List<string> _flows = [];

    public RandomTopology(int seed, int sites)
    {
        var random = new Random(seed);
        _mesh = random.Next(2) == 0;
        _nodes.Add("""
              - name: relay
                role: relay
                os: rocky
                endpoint: 203.0.113.10:51820
            """);
        var hostNames = new List<string>();
        for (var site = 1; site <= sites; site++)
        {
            var routed = random.Next(3) == 0;
            var endpoint = _mesh && random.Next(2) == 0 ? $"\n    endpoint: 198.51.100.{site}:51820" : "";
            var nat = endpoint.Length == 0 && random.Next(2) == 0 ? "\n    behind_nat: true" : "";
            _nodes.Add(Invariant($"""
                  - name: site{site}
                    role: site
                    os: {(random.Next(2) == 0 ? "ubuntu" : "rhel")}{endpoint}{nat}
                    lan:
                      interface: eth1
                      address: 10.{site}.0.1/24
                      subnets: [10.{site}.0.0/24]
                    nat: {(routed ? "routed" : "masquerade")}
                """));
            var hostCount = random.Next(1, 3);
            for (var h = 1; h <= hostCount; h++)
            {
                var name = Invariant($"h{site}x{h}");
                hostNames.Add(name);
                var gateway = random.Next(3) switch
                {
                    0 => "node",
                    1 => "router-with-route\n    router: " + Invariant($"10.{site}.0.254"),
                    _ => "router-without-route\n    router: " + Invariant($"10.{site}.0.254"),
                };
                _hosts.Add(Invariant($"""
                      - name: {name}
                        site: site{site}
                        address: 10.{site}.0.{10 + h}
                        gateway: {gateway}
                        services: [80/tcp]
                    """));
            }
        }
        var flowCount = random.Next(1, 2 * sites);
        for (var f = 0; f < flowCount; f++)
        {
            var from = hostNames[random.Next(hostNames.Count)];
            var to = hostNames[random.Next(hostNames.Count)];
            _flows.Add(Invariant($"""
                  - from: {from}
                    to: {to}:80/tcp{(random.Next(4) == 0 ? "\n    expect: deny" : "")}
                """));
        }
    }

    public string Yaml(int shuffleSeed)
    {
        var random = new Random(shuffleSeed);
        var text = new StringBuilder();
        text.Append(Invariant($"""
            network:
              overlay: 10.200.0.0/24
              persistent_keepalive: 25
              shape: {(_mesh ? "mesh" : "hub")}
              hub: relay

            """));
        text.Append("nodes:\n").AppendJoin('\n', Shuffled(_nodes, random)).Append('\n');
        text.Append("hosts:\n").AppendJoin('\n', Shuffled(_hosts, random)).Append('\n');
        text.Append("flows:\n").AppendJoin('\n', Shuffled(_flows, random)).Append('\n');
        return text.ToString();
    }

    private static List<string> Shuffled(List<string> items, Random random)
    {
        var copy = new List<string>(items);
        for (var i = copy.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
