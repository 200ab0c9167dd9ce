using System.Text;
using Sitewire.Config.Topology;
using Sitewire.Planner.Expected;

namespace Sitewire.Planner.Plan;

/// <summary><c>OUT/&lt;node&gt;/README.md</c>: the steps to deploy one node, in order, for its OS and role (a phone or desktop: <see cref="ClientDeviceReadme"/>).</summary>
public static class NodeReadme
{
    public static string Render(NetworkPlan plan, NodePlan nodePlan)
    {
        if (nodePlan.Node.Os.IsClientDevice())
        {
            return ClientDeviceReadme.Render(plan, nodePlan);
        }
        var node = nodePlan.Node;
        var tunnel = plan.InterfaceName;
        var network = plan.Topology.Network;
        var text = new StringBuilder();
        text.Append($"# {node.Name}: {Lower(node.Role)}, {Lower(node.Os)}\n\n");
        text.Append($"Overlay address {node.OverlayAddress}, public key `{nodePlan.PublicKey.ToBase64()}`.\n\n");
        var step = 1;
        text.Append($"## {step++}. Install WireGuard tools\n\n```sh\n{InstallCommand(node.Os)}\n```\n\n");
        if (nodePlan.PrivateKeyPath is { } keyPath)
        {
            text.Append($"## {step++}. Create this node's key on the node (it never leaves it)\n\n");
            text.Append($"```sh\n(umask 077; sitewire genkey > {keyPath})   # or: wg genkey\nsitewire pubkey < {keyPath}\n```\n\n");
            text.Append("The printed public key must equal this node's `public_key` in the topology; the config loads the key with `PostUp = wg set %i private-key ...`.\n\n");
        }
        if (node.Role == NodeRole.Client && nodePlan.Config.Interface.PrivateKey is not null)
        {
            text.Append($"## {step++}. Phone or tablet: scan the QR code\n\nIn the WireGuard app, add a tunnel from a QR code: open `{tunnel}.png`, or `cat {tunnel}.qr.txt` in a dark terminal. It holds the private key: show it only to the device's owner.\n\n");
        }
        text.Append($"## {step++}. Install the config\n\n```sh\ninstall -m 0600 -o root -g root {tunnel}.conf /etc/wireguard/{tunnel}.conf\n");
        text.Append($"install -m 0600 -o root -g root {ExpectedStateFile.FileName(tunnel)} {ExpectedStateFile.InstalledPath(tunnel)}\n```\n\n");
        if (nodePlan.Config.Interface.PrivateKey is not null)
        {
            text.Append($"{tunnel}.conf holds this node's private key: keep it 0600, do not mail it around. ");
        }
        text.Append($"`{ExpectedStateFile.FileName(tunnel)}` is what the plan expects of this node (public keys only; docs/expected-state.md): `sitewire doctor {tunnel}` checks the node against it.\n\n");
        if (nodePlan.Config.Interface.ListenPort is { } port)
        {
            text.Append($"## {step++}. Let peers reach UDP {port}\n\n");
            text.Append($"Peers dial `{node.Endpoint}`. In the cloud console allow inbound UDP {port} in this host's security group (or forward UDP {port} on the router in front of it). ");
            text.Append(NodeRulesPlanner.UsesFirewalld(node.Os)
                ? "When firewalld runs, PostUp opens the port at runtime; make it permanent with `firewall-cmd --permanent --add-port=" + port + "/udp` if you prefer.\n\n"
                : "PostUp adds an iptables INPUT accept for it.\n\n");
        }
        text.Append($"## {step++}. Start it, now and at boot\n\n```sh\nsystemctl enable --now wg-quick@{tunnel}\nwg show {tunnel}\n```\n\n");
        if (nodePlan.Failover is not null)
        {
            text.Append($"## {step++}. Start the failover agent\n\n");
            AppendFailoverAgent(text, tunnel);
        }
        text.Append($"## {step++}. What PostUp changes (PostDown removes exactly these rules again)\n\n");
        AppendRules(text, nodePlan, tunnel);
        if (node.Lan is { } lan)
        {
            text.Append($"## {step++}. The LAN behind {lan.Interface}\n\n");
            AppendLan(text, plan, nodePlan, lan);
        }
        if (plan.Topology.HasFailover)
        {
            text.Append($"## {step}. When a relay dies\n\n");
            AppendRelayDeath(text, plan.Topology, nodePlan);
        }
        return text.ToString();
    }

    private static void AppendFailoverAgent(StringBuilder text, string tunnel)
    {
        text.Append("```sh\n");
        text.Append($"install -D -m 0644 {FailoverAgentPlanner.ConfigFile} {FailoverAgentPlanner.InstalledConfigPath(tunnel)}\n");
        text.Append($"install -m 0644 {FailoverAgentPlanner.UnitFile} /etc/systemd/system/{FailoverAgentPlanner.UnitFile}\n");
        text.Append($"systemctl daemon-reload && systemctl enable --now sitewire-failover@{tunnel}\n");
        text.Append($"sitewire failover status {FailoverAgentPlanner.InstalledConfigPath(tunnel)}\n```\n\n");
        text.Append("It needs `sitewire` in /usr/local/bin and runs as long as the tunnel is up (it is bound to wg-quick@" + tunnel + ").\n\n");
    }

    private static void AppendRelayDeath(StringBuilder text, Topology topology, NodePlan nodePlan)
    {
        var relays = topology.HubRelays;
        var names = string.Join(", then ", relays.Select(relay => relay.Name));
        var timings = Sitewire.Config.Failover.FailoverTimings.Default;
        var detection = timings.ProbeInterval * timings.FailAfter;
        if (nodePlan.Failover is null)
        {
            text.Append($"This relay is one of {relays.Count} ({names}). Every site peers with each; when this relay dies, each site's failover agent moves its traffic to the next relay that answers within about {detection.TotalSeconds:0} s, and back {timings.HoldDown.TotalSeconds:0} s after this relay answers again. Relays keep no state of each other: each delivers to every site directly (docs/failover.md).\n\n");
            return;
        }
        text.Append($"The relays, in order of preference: {names}. The agent probes each relay's overlay address through its tunnel every {timings.ProbeInterval.TotalSeconds:0.#} s; after {timings.FailAfter} unanswered probes in a row (about {detection.TotalSeconds:0} s) it moves the carried prefixes ({string.Join(", ", nodePlan.Failover.Carried)}) to the next relay that answers with `wg set`, and logs one line. ");
        text.Append($"A relay that died is used again only after it answered every probe for {timings.HoldDown.TotalSeconds:0} s (hold-down, so a flapping link does not flap the traffic). Routes do not change: every relay is a peer of {topology.Network.InterfaceName}. ");
        text.Append("Established TCP connections survive a switch (the new relay picks them up mid-stream); if only this site loses a relay that the others still use, its flows with them stop until the relay is back (docs/failover.md).\n\n");
    }

    private static string InstallCommand(OsFamily os) => os switch
    {
        OsFamily.Ubuntu or OsFamily.Debian => "apt-get install -y wireguard-tools iptables",
        _ => "dnf install -y wireguard-tools nftables",
    };

    private static void AppendRules(StringBuilder text, NodePlan nodePlan, string tunnel)
    {
        var rules = nodePlan.Rules;
        foreach (var sysctl in rules.Sysctls)
        {
            text.Append($"- `{sysctl.Name} = {sysctl.Value}` (left so at down; make it permanent in `/etc/sysctl.d/` if you want it at boot without the tunnel)\n");
        }
        foreach (var map in rules.Maps)
        {
            text.Append($"- translate {map.Real} 1:1 to {map.Mapped}: packets arriving on {map.Tunnel} for {map.Mapped} go to the same host of {map.Real}, packets from {map.Real} leaving by {map.Tunnel} come from the same host of {map.Mapped}, replies are translated back ({(nodePlan.Backend == RuleBackend.Iptables ? "iptables nat NETMAP" : $"nftables table inet {NftablesRenderer.TableName(tunnel)}, prefix dnat/snat")})\n");
        }
        foreach (var nat in rules.Nat)
        {
            text.Append($"- masquerade packets from {nat.SourcePrefix} leaving {nat.OutInterface} ({(nodePlan.Backend == RuleBackend.Iptables ? "iptables" : $"nftables table inet {NftablesRenderer.TableName(tunnel)}")})\n");
        }
        if (nodePlan.Backend == RuleBackend.Iptables || rules.Firewall.DockerUser)
        {
            var where = rules.Firewall.DockerUser ? " (iptables, in Docker's DOCKER-USER chain, which Docker jumps to first and keeps across its restarts)" : "";
            foreach (var accept in rules.Firewall.ForwardAccepts)
            {
                text.Append($"- accept forwarding from {accept.InInterface} to {accept.OutInterface}{where}\n");
            }
        }
        if (rules.Firewall.FlowPolicy is { } policy)
        {
            var where = nodePlan.Backend == RuleBackend.Iptables
                ? $"iptables chain {FlowFilter.IptablesChain.Replace("%i", tunnel, StringComparison.Ordinal)}, which FORWARD sends everything from {tunnel} to"
                : $"chain {FlowFilter.NftChain} of nftables table inet {NftablesRenderer.TableName(tunnel)}; its drops are final whatever firewalld accepts";
            text.Append($"- the flow policy (network.policy: flows): a new connection forwarded from {tunnel} passes only when an allow flow matches it, replies of tracked connections pass, the rest is dropped; {policy.Rules.Count(rule => rule.Expect == FlowExpectation.Deny)} deny and {policy.Rules.Count(rule => rule.Expect == FlowExpectation.Allow)} allow rules ({where})\n");
        }
        if (rules.Clamp is { } clamp)
        {
            text.Append($"- clamp the MSS of TCP SYNs forwarded out of {clamp.Tunnel} to its route's MTU and into it to the tunnel MTU minus 40 bytes (IPv4) or 60 (IPv6), so full-size segments of LAN hosts fit the tunnel MTU {clamp.TunnelMtu} without ICMP ({(nodePlan.Backend == RuleBackend.Iptables ? "iptables mangle table" : $"nftables table inet {NftablesRenderer.TableName(tunnel)}")})\n");
        }
        if (rules.Firewall.Firewalld is { } zone)
        {
            text.Append($"- only where firewalld runs: the tunnel joins the zone of {zone.ZoneOfInterface ?? "(the default zone)"}, forwarding within that zone is enabled (and left enabled){(zone.UdpPort is { } udp ? $", UDP {udp} is opened" : "")}\n");
        }
        if (rules.Sysctls.Count == 0 && rules.Nat.Count == 0 && rules.Firewall.ForwardAccepts.Count == 0 && rules.Firewall.Firewalld is null && rules.Firewall.FlowPolicy is null)
        {
            text.Append("- nothing: this node forwards nothing.\n");
        }
        text.Append('\n');
    }

    private static void AppendLan(StringBuilder text, NetworkPlan plan, NodePlan nodePlan, LanSettings lan)
    {
        var node = nodePlan.Node;
        var nodeAddress = lan.InterfaceAddresses.Any() ? string.Join(" / ", lan.InterfaceAddresses.Select(a => a.Address)) : $"this node's address on {lan.Interface}";
        var remote = nodePlan.Config.Peers.SelectMany(peer => peer.AllowedIps).Distinct().ToList();
        text.Append($"Reached through the tunnel from here: {string.Join(", ", remote)}.\n\n");
        foreach (var mapped in node.MappedSubnets)
        {
            text.Append($"Mapped: {mapped.Prefix} is {mapped.MappedAs} to every other site (a host's address there has the same host bits); hosts here keep their addresses.\n\n");
        }
        if (node.Nat == NatMode.Masquerade)
        {
            text.Append($"Masquerade: LAN hosts see tunnel traffic as coming from {nodeAddress} and need no route back.\n");
            text.Append($"LAN hosts that open connections into the tunnel must send those prefixes to {nodeAddress}: as their gateway, or by a static route on their router.\n\n");
        }
        else
        {
            text.Append($"Routed: sources are kept, so the LAN router must route {string.Join(", ", remote)} via {nodeAddress}, or replies never come back.\n\n");
        }
        var hosts = plan.Topology.HostsAt(node.Name).ToList();
        if (hosts.Count > 0)
        {
            text.Append("| Host | Address | Gateway | What to set |\n|---|---|---|---|\n");
            foreach (var host in hosts)
            {
                text.Append($"| {host.Name} | {TopologyDocument.AddressesText(host, lan)} | {TopologyDocument.GatewayText(host)} | {HostAdvice(host, lan, node, nodeAddress, remote)} |\n");
            }
            text.Append('\n');
            if (hosts.Any(host => host.Gateway == GatewayKind.RouteOnly))
            {
                text.Append("Routes added with `ip route add` last until the host restarts: keep them in its network configuration (netplan `routes:`, NetworkManager `ipv4.routes`, `up ip route add …` in /etc/network/interfaces, `route -p add` on Windows), or hand them out by DHCP (option 121, classless static routes).\n\n");
            }
        }
    }

    private static string HostAdvice(LanHost host, LanSettings lan, Node node, string nodeAddress, IReadOnlyList<System.Net.IPNetwork> remote) => host.Gateway switch
    {
        GatewayKind.Node => string.Join("; ", host.Addresses.Select(address => DefaultGateway(address, lan))),
        GatewayKind.RouterWithRoute => $"nothing; the router routes {string.Join(", ", remote)} via {nodeAddress}",
        GatewayKind.RouteOnly => "keep the default gateway; " + string.Join("; ", RouteOnlyCommands(host, lan, remote)),
        _ when node.Nat == NatMode.Masquerade => $"nothing to answer tunnel traffic (masquerade); to open connections into the tunnel, a route for {string.Join(", ", remote)} via {nodeAddress}",
        _ => $"a route for {string.Join(", ", remote)} via {nodeAddress} (on the host or its router): without it replies are lost",
    };

    /// <summary>A route-only host's static routes: each remote prefix of its families via the node's LAN address of that family.</summary>
    private static IEnumerable<string> RouteOnlyCommands(LanHost host, LanSettings lan, IReadOnlyList<System.Net.IPNetwork> remote) =>
        host.Addresses.Select(address => lan.AddressOfFamily(address)).OfType<System.Net.IPAddress>()
            .SelectMany(gateway => remote.Where(prefix => prefix.BaseAddress.AddressFamily == gateway.AddressFamily)
                .Select(prefix => $"`ip {(gateway.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "-6 " : "")}route add {prefix} via {gateway}`"));

    /// <summary>The default gateway a host address needs: the node's LAN address of the same family.</summary>
    private static string DefaultGateway(System.Net.IPAddress hostAddress, LanSettings lan)
    {
        var family = hostAddress.AddressFamily;
        var gateway = lan.InterfaceAddresses.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == family);
        var ipv6 = family == System.Net.Sockets.AddressFamily.InterNetworkV6;
        return $"{(ipv6 ? "IPv6 default gateway" : "default gateway")} {gateway?.ToString() ?? $"this node's {(ipv6 ? "IPv6" : "IPv4")} address on {lan.Interface}"}";
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
