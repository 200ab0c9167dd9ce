using Sitewire.Host.Linux;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Tests.Linux;

/// <summary>firewalld's runtime state as `firewall-cmd` prints it (firewalld 1.3, recorded in a lab node): zones with their targets and services, and the services' ports.</summary>
public class FirewalldReaderTests
{
    private const string Zones = """
        public (default, active)
          target: default
          icmp-block-inversion: no
          interfaces: ens33 wireguard0
          sources: 
          services: cockpit samba-client ssh
          ports: 80/tcp
          protocols: 
          forward: yes
          masquerade: no
          forward-ports: 
          source-ports: 
          icmp-blocks: 
          rich rules: 
        	rule family="ipv6" source address="2001:db8::/32" accept
        	rule family="ipv4" source address="10.1.0.0/16" port port="8080" protocol="tcp" accept

        trusted
          target: ACCEPT
          icmp-block-inversion: no
          interfaces: 
          sources: 
          services: 
          ports: 
          forward: yes
          masquerade: no

        work
          target: default
          interfaces: 
          sources: 10.9.0.0/16
          services: dhcpv6-client unknown-here
          ports: 

        """;

    private readonly Dictionary<string, string> _services = new()
    {
        ["cockpit"] = "cockpit\n  ports: 9090/tcp\n  protocols: \n  includes: \n",
        ["ssh"] = "ssh\n  ports: 22/tcp\n  includes: \n",
        ["samba-client"] = "samba-client\n  ports: 138/udp\n  includes: netbios-ns\n",
        ["netbios-ns"] = "netbios-ns\n  ports: 137/udp\n  includes: samba-client\n",
        ["dhcpv6-client"] = "dhcpv6-client\n  ports: 546/udp\n  destination: ipv6:fe80::/64\n  includes: \n",
    };

    private readonly List<string> _asked = [];

    private CommandResult FirewallCmd(string[] arguments)
    {
        _asked.Add(string.Join(' ', arguments));
        var command = "firewall-cmd " + string.Join(' ', arguments);
        return arguments[0] switch
        {
            "--state" => new(command, 0, "running\n", ""),
            "--get-default-zone" => new(command, 0, "public\n", ""),
            "--list-all-zones" => new(command, 0, Zones, ""),
            "--list-all-policies" => new(command, 0, "", ""),
            var info when _services.TryGetValue(info["--info-service=".Length..], out var text) => new(command, 0, text, ""),
            _ => new(command, 101, "", "Error: INVALID_SERVICE"),
        };
    }

    [Fact]
    public void Zones_carry_their_target_sources_services_and_rich_rules()
    {
        var state = FirewalldReader.Read(FirewallCmd)!;

        var publicZone = state.Zone("public")!;
        Assert.Equal("default", publicZone.Target);
        Assert.Equal(["cockpit", "samba-client", "ssh"], publicZone.Services);
        Assert.Equal(["80/tcp"], publicZone.Ports);
        Assert.Equal(["rule family=\"ipv6\" source address=\"2001:db8::/32\" accept", "rule family=\"ipv4\" source address=\"10.1.0.0/16\" port port=\"8080\" protocol=\"tcp\" accept"], publicZone.RichRules);
        Assert.Equal("ACCEPT", state.Zone("trusted")!.Target);
        Assert.Equal(["10.9.0.0/16"], state.Zone("work")!.Sources);
        Assert.Equal(["public", "work"], state.ActiveZones().Select(z => z.Name));
    }

    /// <summary>firewalld 1.x prints each forward port and rich rule on a line of its own; older ones list forward ports on their key's line.</summary>
    [Fact]
    public void Icmp_blocks_forward_ports_and_what_policies_hold_are_read()
    {
        const string zones = """
            external (active)
              target: default
              icmp-block-inversion: yes
              interfaces: eth0
              sources: 
              services: ssh
              ports: 
              protocols: gre
              forward: yes
              masquerade: yes
              forward-ports: 
            	port=1194:proto=udp:toport=1194:toaddr=10.0.0.2
            	port=8080:proto=tcp:toport=80:toaddr=
              source-ports: 68/udp
              icmp-blocks: echo-request timestamp-request
              rich rules: 

            old
              target: default
              forward-ports: port=22:proto=tcp:toport=2222:toaddr=
            """;
        const string policies = """
            allow-host-ipv6 (active)
              priority: -15000
              target: CONTINUE
              ingress-zones: ANY
              egress-zones: HOST
              services: 
              ports: 
              protocols: 
              masquerade: no
              forward-ports: 
              source-ports: 
              icmp-blocks: 
              rich rules: 
            	rule family="ipv6" icmp-type name="neighbour-advertisement" accept
            	rule family="ipv6" icmp-type name="neighbour-solicitation" accept

            router (active)
              priority: -1
              target: REJECT
              ingress-zones: internal
              egress-zones: external
              services: http https
              ports: 53/udp 1025-65535/tcp
              protocols: icmp
              masquerade: yes
              forward-ports: 
            	port=443:proto=tcp:toport=8443:toaddr=10.0.0.3
              source-ports: 123/udp
              icmp-blocks: echo-reply
              rich rules: 
            """;

        var state = FirewalldState.Parse("external", zones, policies);

        var external = state.Zone("external")!;
        Assert.Equal(["echo-request", "timestamp-request"], external.IcmpBlocks);
        Assert.True(external.IcmpBlockInversion);
        Assert.Equal(["port=1194:proto=udp:toport=1194:toaddr=10.0.0.2", "port=8080:proto=tcp:toport=80:toaddr="], external.ForwardPorts);
        Assert.Equal(["68/udp"], external.SourcePorts);
        Assert.Equal(["gre"], external.Protocols);
        Assert.Equal(["port=22:proto=tcp:toport=2222:toaddr="], state.Zone("old")!.ForwardPorts);
        var host = state.Policies.Single(p => p.Name == "allow-host-ipv6");
        Assert.Equal("CONTINUE", host.Target);
        Assert.Equal(["ANY"], host.IngressZones);
        Assert.Equal(["HOST"], host.EgressZones);
        Assert.Equal(["rule family=\"ipv6\" icmp-type name=\"neighbour-advertisement\" accept", "rule family=\"ipv6\" icmp-type name=\"neighbour-solicitation\" accept"], host.RichRules);
        var router = state.Policies.Single(p => p.Name == "router");
        Assert.Equal(["http", "https"], router.Services);
        Assert.Equal(["53/udp", "1025-65535/tcp"], router.Ports);
        Assert.Equal(["icmp"], router.Protocols);
        Assert.True(router.Masquerade);
        Assert.Equal(["port=443:proto=tcp:toport=8443:toaddr=10.0.0.3"], router.ForwardPorts);
        Assert.Equal(["123/udp"], router.SourcePorts);
        Assert.Equal(["echo-reply"], router.IcmpBlocks);
    }

    [Fact]
    public void The_services_of_active_zones_are_described_once_each_with_the_ports_of_what_they_include()
    {
        var state = FirewalldReader.Read(FirewallCmd)!;

        Assert.Equal(["138/udp", "137/udp"], state.ServicePorts["samba-client"]);
        Assert.Equal(["137/udp", "138/udp"], state.ServicePorts["netbios-ns"]);
        Assert.Equal(["22/tcp"], state.ServicePorts["ssh"]);
        Assert.Equal(["546/udp"], state.ServicePorts["dhcpv6-client"]);
        Assert.False(state.ServicePorts.ContainsKey("unknown-here"));
        var asked = _asked.Where(a => a.StartsWith("--info-service=", StringComparison.Ordinal)).ToList();
        Assert.Equal(asked.Distinct(), asked);
        Assert.Equal(6, asked.Count);
    }

    [Fact]
    public void A_service_name_that_is_none_is_refused_before_the_doctor_puts_it_in_a_command()
    {
        _services["samba-client"] = "samba-client\n  ports: 138/udp\n  includes: netbios-ns;reboot\n";

        var refused = Assert.Throws<FormatException>(() => FirewalldReader.Read(FirewallCmd));

        Assert.Equal("`firewall-cmd --info-service=samba-client` printed netbios-ns;reboot, not a firewalld zone or service name", refused.Message);
    }
}
