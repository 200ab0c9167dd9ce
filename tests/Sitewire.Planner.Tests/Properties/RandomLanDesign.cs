using System.Globalization;
using System.Text;
using CsCheck;

namespace Sitewire.Planner.Tests.Properties;

/// <summary>
/// A random hub or mesh design with varied LAN layouts, for properties over every design the loader accepts: sites
/// with or without endpoints (IP or DNS name, some behind NAT with a forwarded port), LAN prefixes of several lengths,
/// the node anywhere in its prefix, an extra on-link subnet, IPv4 and IPv6 subnets behind LAN routers, dual stack;
/// LAN hosts on any segment with every gateway kind and routers picked on their segment, on another one, on the node,
/// or on themselves; a relay and two to five sites (three to six nodes) of any OS family, masquerading or routed; TCP
/// and ping flows between nodes and hosts, most of them expected to pass and some to be denied; PersistentKeepalive 25,
/// or 0 in one design of four (a site behind NAT is then reachable only after it has spoken); the flows as the enforced
/// policy (`network.policy: flows`) in one design of three, where a flow from a host may come from its whole site
/// (`site:NODE`) instead. Some choices are wrong
/// on purpose, so that what the loader refuses is exercised too. The same seed gives the same design.
/// </summary>
internal sealed class RandomLanDesign
{
    public static readonly Gen<RandomLanDesign> Gen = CsCheck.Gen.Int.Select(seed => new RandomLanDesign(seed));

    private static readonly string[] OperatingSystems = ["ubuntu", "debian", "rhel", "rocky", "alma", "fedora"];

    private readonly StringBuilder _nodes = new();
    private readonly StringBuilder _hosts = new();
    private readonly List<(string From, string To, bool Deny)> _flows = [];
    private readonly bool _mesh;
    private readonly bool _dualStack;
    private readonly int _keepalive;
    private readonly bool _policy;

    public RandomLanDesign(int seed)
    {
        Seed = seed;
        var random = new Random(seed);
        _mesh = random.Next(3) == 0;
        _dualStack = random.Next(3) == 0;
        _nodes.Append(Invariant($"  - name: relay\n    role: relay\n    os: {Pick(random, OperatingSystems)}\n    endpoint: 203.0.113.1:51820\n"));
        var targets = new List<string> { "relay" };
        var sites = random.Next(2, 6);
        for (var site = 1; site <= sites; site++)
        {
            targets.AddRange(AddSite(random, site));
        }
        var flows = random.Next(1, 7);
        for (var flow = 0; flow < flows && targets.Count > 1; flow++)
        {
            var from = targets[random.Next(1, targets.Count)];
            var to = targets[random.Next(targets.Count)];
            if (from != to)
            {
                var port = random.Next(4) switch { 0 => "", 1 => ":443/tcp", _ => ":80/tcp" };
                _flows.Add((from, to + port, random.Next(6) == 0));
            }
        }
        // drawn last, so every other choice of a seed stays what it was before keepalive varied
        _keepalive = random.Next(4) == 0 ? 0 : 25;
        _policy = random.Next(3) == 0;
        if (_policy)
        {
            for (var i = 0; i < _flows.Count; i++)
            {
                if (_flows[i].From.StartsWith('h') && random.Next(4) == 0)
                {
                    _flows[i] = _flows[i] with { From = "site:s" + _flows[i].From[1.._flows[i].From.IndexOf('x', StringComparison.Ordinal)] };
                }
            }
        }
    }

    public int Seed { get; }

    public string Yaml()
    {
        var overlayV6 = _dualStack ? "  overlay_v6: fd00:200::/64\n" : "";
        var text = new StringBuilder(Invariant($"network:\n  overlay: 10.200.0.0/24\n{overlayV6}  shape: {(_mesh ? "mesh" : "hub")}\n{(_policy ? "  policy: flows\n" : "")}  hub: relay\n  persistent_keepalive: {_keepalive}\nnodes:\n"));
        text.Append(_nodes);
        if (_hosts.Length > 0)
        {
            text.Append("hosts:\n").Append(_hosts);
        }
        if (_flows.Count > 0)
        {
            text.Append("flows:\n");
            foreach (var (from, to, deny) in _flows)
            {
                text.Append(Invariant($"  - from: {from}\n    to: {to}\n{(deny ? "    expect: deny\n" : "")}"));
            }
        }
        return text.ToString();
    }

    public override string ToString() => $"seed {Seed}:\n{Yaml()}";

    /// <summary>Adds the site node and its hosts; returns the names flows may use (the node and its hosts).</summary>
    private List<string> AddSite(Random random, int site)
    {
        var name = Invariant($"s{site}");
        var node = new StringBuilder(Invariant($"  - name: {name}\n    role: site\n    os: {Pick(random, OperatingSystems)}\n"));
        switch (random.Next(4))
        {
            case 0:
                node.Append(Invariant($"    endpoint: 203.0.113.{10 + site}:51820\n"));
                break;
            case 1 when _mesh:
                node.Append(Invariant($"    endpoint: {name}.example.net:{51820 + site}\n    behind_nat: true\n"));
                break;
            default:
                node.Append("    behind_nat: true\n");
                break;
        }
        if (random.Next(4) == 0)
        {
            node.Append("    public_interface: eth0\n");
        }
        var names = new List<string> { name };
        if (random.Next(5) == 0)
        {
            _nodes.Append(node);
            return names;
        }
        var length = Pick(random, 24, 24, 16, 25, 28);
        var ownHost = Pick(random, 1, 1, 10, 14);
        var own = Invariant($"10.{site}.0.{ownHost}");
        var onLink = Invariant($"10.{site}.0.0/{length}");
        var lastOnLink = length switch { 16 => Invariant($"10.{site}.255.254"), 25 => Invariant($"10.{site}.0.126"), 28 => Invariant($"10.{site}.0.13"), _ => Invariant($"10.{site}.0.254") };
        var dual = _dualStack && random.Next(3) > 0;
        node.Append(Invariant($"    nat: {Pick(random, "masquerade", "routed")}\n    lan:\n      interface: {Pick(random, "eth1", "lan0", "ens19")}\n      address: {own}/{length}\n"));
        if (dual)
        {
            node.Append(Invariant($"      address_v6: fd00:{site}::1/64\n"));
        }
        node.Append(Invariant($"      subnets:\n        - {onLink}\n"));
        if (dual)
        {
            node.Append(Invariant($"        - fd00:{site}::/64\n"));
        }
        var segments = new List<(string Prefix, Func<int, string> Address, string Router)> { (onLink, h => Invariant($"10.{site}.0.{2 + h}"), lastOnLink) };
        if (random.Next(4) == 0)
        {
            node.Append(Invariant($"        - 10.{50 + site}.0.0/24\n"));
            segments.Add((Invariant($"10.{50 + site}.0.0/24"), h => Invariant($"10.{50 + site}.0.{20 + h}"), Invariant($"10.{50 + site}.0.1")));
        }
        var routedCount = random.Next(3);
        foreach (var routed in Enumerable.Range(0, routedCount))
        {
            var via = random.Next(40) switch
            {
                0 => own,
                1 => Invariant($"10.99.{site}.1"),
                _ => Invariant($"10.{site}.0.{6 + routed}"),
            };
            var prefix = Invariant($"10.{100 + site}.{routed}.0/24");
            node.Append(Invariant($"        - {{prefix: {prefix}, via: {via}}}\n"));
            var routerSide = random.Next(2) == 0 ? Invariant($"10.{100 + site}.{routed}.1") : Invariant($"10.{100 + site}.{routed}.254");
            segments.Add((prefix, h => Invariant($"10.{100 + site}.{routed}.{10 + h}"), routerSide));
        }
        if (dual && random.Next(3) == 0)
        {
            node.Append(Invariant($"        - {{prefix: 'fd00:{100 + site}::/64', via: 'fd00:{site}::fe'}}\n"));
        }
        _nodes.Append(node);
        var hostCount = random.Next(0, 4);
        for (var h = 1; h <= hostCount; h++)
        {
            var host = Invariant($"h{site}x{h}");
            var segment = segments[random.Next(segments.Count)];
            var address = segment.Address(h);
            var gateway = segment.Router == lastOnLink
                ? Pick(random, "node", "node", "router-with-route", "router-without-route")
                : Pick(random, "node", "router-with-route", "router-with-route", "router-without-route");
            var text = new StringBuilder(Invariant($"  - name: {host}\n    site: {name}\n    address: {address}\n    gateway: {gateway}\n"));
            if (gateway != "node" && random.Next(5) > 0)
            {
                var router = random.Next(40) switch
                {
                    0 => own,
                    1 => address,
                    2 => segments[random.Next(segments.Count)].Router,
                    _ => segment.Router,
                };
                text.Append(Invariant($"    router: {router}\n"));
            }
            if (dual && gateway == "node" && random.Next(2) == 0)
            {
                text.Append(Invariant($"    address_v6: fd00:{site}::{10 + h}\n"));
            }
            if (random.Next(2) == 0)
            {
                text.Append("    services: [80/tcp]\n");
            }
            _hosts.Append(text);
            names.Add(host);
        }
        return names;
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
