using System.Net;
using System.Net.Sockets;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Layout;

/// <summary>
/// Derives the <see cref="NetworkLayout"/> of a plan, once. Per node: its LAN interface (named and addressed as the
/// topology says) with a route to every LAN subnet, and its uplink (<see cref="NetworkLayoutBuilder"/>.Uplinks). Per
/// site (<see cref="NetworkLayoutBuilder"/>.Sites): one segment for the on-link LAN, one per subnet behind a LAN
/// router, the routers, and the LAN hosts with their default routes. Segment names and the lab's own hosts carry a '/',
/// which topology names cannot, so they never meet the user's.
/// </summary>
public sealed partial class NetworkLayoutBuilder
{
    public const string InternetSegment = "internet";

    private readonly NetworkPlan _plan;
    private readonly LabAddressSpace _space;
    private readonly IPAddress _gateway;
    private readonly List<LayoutDraft> _hosts = [];
    private readonly List<LayoutSegment> _segments = [new(InternetSegment, SegmentKind.Internet)];
    private readonly List<InternetAttachment> _attachments = [];
    private readonly Dictionary<string, IPAddress> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IPAddress, LayoutDraft> _natRouters = [];

    private NetworkLayoutBuilder(NetworkPlan plan)
    {
        _plan = plan;
        _space = new LabAddressSpace(plan.Topology);
        _gateway = _space.Gateway();
    }

    public static NetworkLayout Build(NetworkPlan plan)
    {
        var builder = new NetworkLayoutBuilder(plan);
        var nodes = plan.Nodes.Select(builder.AddNode).ToList();
        foreach (var (nodePlan, node) in plan.Nodes.Zip(nodes))
        {
            builder.AddUplink(nodePlan, node);
        }
        foreach (var nodePlan in plan.Nodes)
        {
            builder.AddSite(nodePlan.Node);
        }
        builder.AddInternetHosts();
        return new NetworkLayout(
            [.. builder._hosts.Select(h => h.ToHost())],
            [.. builder._segments],
            new InternetLayout(InternetSegment, builder._gateway, [.. builder._attachments]),
            new Dictionary<string, IPAddress>(builder._names, StringComparer.OrdinalIgnoreCase));
    }

    private static string LanSegmentName(string node) => $"{node}/lan";

    /// <summary>A host on the internet segment for each flow target outside the topology's addresses, routing by default via the internet gateway.</summary>
    private void AddInternetHosts()
    {
        foreach (var (address, index) in _space.InternetTargets.Select((address, index) => (address, index)))
        {
            var host = AddHost($"internet/host{index + 1}", LayoutRole.InternetHost);
            host.AddInterface("eth0", InternetSegment, [HostAddress(address)]);
            host.AddRoute(new LayoutRoute(DefaultRoute(AddressFamily.InterNetwork), _gateway, "eth0", OnLink: true, Uplink: true));
            _attachments.Add(new InternetAttachment(host.Name, "eth0", InternetSegment, [address]));
        }
    }

    private LayoutDraft AddHost(string name, LayoutRole role, bool forwarding = false, StartingFirewall firewall = StartingFirewall.Empty)
    {
        var host = new LayoutDraft(name, role, forwarding, firewall);
        _hosts.Add(host);
        return host;
    }

    private string AddSegment(string name, SegmentKind kind)
    {
        if (!_segments.Exists(s => s.Name == name))
        {
            _segments.Add(new LayoutSegment(name, kind));
        }
        return name;
    }

    /// <summary>
    /// The node with the baseline firewall verify assumes for its OS family (iptables' on Debian/Ubuntu, firewalld on the
    /// RHEL family) and its LAN interface, when it has a LAN address, with a route to every LAN subnet not on its link.
    /// </summary>
    private LayoutDraft AddNode(NodePlan nodePlan)
    {
        var node = nodePlan.Node;
        var host = AddHost(node.Name, LayoutRole.Node, firewall: nodePlan.Backend == RuleBackend.Iptables ? StartingFirewall.IptablesForwardDrop : StartingFirewall.Firewalld);
        if (node.Lan is not { } lan || !lan.InterfaceAddresses.Any())
        {
            return host;
        }
        host.AddInterface(lan.Interface, AddSegment(LanSegmentName(node.Name), SegmentKind.Lan), lan.InterfaceAddresses.Select(a => new LayoutAddress(a.Address, a.PrefixLength)));
        foreach (var subnet in lan.Subnets)
        {
            host.AddRoute(new LayoutRoute(subnet.Prefix, subnet.Via, lan.Interface));
        }
        return host;
    }

    /// <summary>The node's LAN address of the family with its prefix length, if it has one.</summary>
    private static (IPAddress Address, int Length)? NodeLanAddress(Node node, AddressFamily family) =>
        node.Lan?.InterfaceAddresses.Where(a => a.Address.AddressFamily == family).Select(a => ((IPAddress, int)?)(a.Address, a.PrefixLength)).FirstOrDefault();

    private static IPNetwork DefaultRoute(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? new IPNetwork(IPAddress.Any, 0) : new IPNetwork(IPAddress.IPv6Any, 0);
}
