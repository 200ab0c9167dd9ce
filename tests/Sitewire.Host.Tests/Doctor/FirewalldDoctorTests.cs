using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>The seed's office as recorded, with firewalld's runtime state as `firewall-cmd` prints it, one zone mistake at a time.</summary>
public class FirewalldDoctorTests
{
    private const string Policies = """
        allow-host-ipv6 (active)
          priority: -15000
          target: CONTINUE
          ingress-zones: ANY
          egress-zones: HOST
          services: 
          icmp-blocks: 

        """;

    private static string Zones(string publicInterfaces, string forward = "yes", string internalInterfaces = "", string trustedInterfaces = "") => $"""
        block
          target: %%REJECT%%
          interfaces: 
          forward: yes
          masquerade: no

        internal{(internalInterfaces.Length > 0 ? " (active)" : "")}
          target: default
          interfaces: {internalInterfaces}
          services: cockpit dhcpv6-client mdns samba-client ssh
          ports: 
          forward: yes
          masquerade: no

        trusted{(trustedInterfaces.Length > 0 ? " (active)" : "")}
          target: ACCEPT
          interfaces: {trustedInterfaces}
          services: 
          ports: 
          forward: yes
          masquerade: no

        public (default, active)
          target: default
          icmp-block-inversion: no
          interfaces: {publicInterfaces}
          sources: 
          services: cockpit dhcpv6-client ssh
          ports: 80/tcp
          protocols: 
          forward: {forward}
          masquerade: no

        """;

    private static IReadOnlyList<DoctorFinding> Problems(string zones, string policies = Policies) =>
        OfficeSnapshot.Problems(OfficeSnapshot.Healthy() with { Firewalld = FirewalldState.Parse("public\n", zones, policies) });

    [Fact]
    public void Parses_zones_and_policies_as_firewall_cmd_lists_them()
    {
        var state = FirewalldState.Parse("public\n", Zones("ens33 wan0 wireguard0"), Policies);

        Assert.Equal("public", state.DefaultZone);
        Assert.Equal(["block", "internal", "trusted", "public"], state.Zones.Select(z => z.Name));
        Assert.Equal(["ens33", "wan0", "wireguard0"], state.Zone("public")!.Interfaces);
        Assert.Equal(["80/tcp"], state.Zone("public")!.Ports);
        Assert.True(state.Zone("public")!.Forward);
        Assert.False(state.Zone("public")!.Masquerade);
        Assert.Null(state.AssignedZone("lo"));
        Assert.Equal("public", state.ZoneOf("lo"));
        var policy = Assert.Single(state.Policies);
        Assert.Equal(("allow-host-ipv6", "CONTINUE"), (policy.Name, policy.Target));
        Assert.Equal(["ANY"], policy.IngressZones);
        Assert.Equal(["HOST"], policy.EgressZones);
        Assert.False(state.PolicyAccepts("public", "public"));
    }

    [Fact]
    public void The_tunnel_in_the_lans_zone_that_forwards_is_healthy() => Assert.Empty(Problems(Zones("ens33 wan0 wireguard0")));

    [Fact]
    public void The_tunnel_in_no_zone_is_named_with_the_zone_change_now_and_permanent()
    {
        var problem = Assert.Single(Problems(Zones("ens33 wan0")));

        Assert.Equal("firewalld wireguard0", problem.Check);
        Assert.StartsWith("wireguard0 is in no firewalld zone: its packets fall into the default zone public", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["firewall-cmd --zone=public --change-interface=wireguard0 && firewall-cmd --permanent --zone=public --change-interface=wireguard0"], problem.Fixes);
    }

    [Fact]
    public void The_tunnel_in_another_zone_than_the_lan_needs_a_policy_each_way()
    {
        var problem = Assert.Single(Problems(Zones("ens33 wan0", internalInterfaces: "wireguard0")));

        Assert.Equal("wireguard0 is in firewalld zone internal and ens33 in zone public: firewalld forwards between two zones only along a policy that accepts it (or from a zone with target ACCEPT), so new connections wireguard0 → ens33 and ens33 → wireguard0 are rejected", problem.Message);
        Assert.Equal("firewall-cmd --zone=public --change-interface=wireguard0 && firewall-cmd --permanent --zone=public --change-interface=wireguard0", problem.Fixes[0]);

        var oneWay = Policies + "internal-to-public (active)\n  target: ACCEPT\n  ingress-zones: internal\n  egress-zones: public\n";
        Assert.EndsWith("so new connections ens33 → wireguard0 are rejected", Assert.Single(Problems(Zones("ens33 wan0", internalInterfaces: "wireguard0"), oneWay)).Message);
        var bothWays = oneWay + "public-to-internal (active)\n  target: ACCEPT\n  ingress-zones: public\n  egress-zones: internal\n";
        Assert.Empty(Problems(Zones("ens33 wan0", internalInterfaces: "wireguard0"), bothWays));
    }

    /// <summary>As the lab measured it: with the tunnel in `trusted`, connections from the tunnel into the LAN pass and those from the LAN into the tunnel are rejected.</summary>
    [Fact]
    public void The_tunnel_in_a_zone_with_target_accept_forwards_out_of_it_and_only_the_way_in_needs_a_policy()
    {
        var problem = Assert.Single(Problems(Zones("ens33 wan0", trustedInterfaces: "wireguard0")));

        Assert.Equal("wireguard0 is in firewalld zone trusted and ens33 in zone public: firewalld forwards between two zones only along a policy that accepts it (or from a zone with target ACCEPT), so new connections ens33 → wireguard0 are rejected", problem.Message);
    }

    [Fact]
    public void A_zone_that_does_not_forward_is_named_with_add_forward()
    {
        var problem = Assert.Single(Problems(Zones("ens33 wan0 wireguard0", forward: "no")));

        Assert.Equal("wireguard0 is in firewalld zone public, which does not forward between its interfaces: tunnel ↔ LAN traffic is rejected", problem.Message);
        Assert.Equal(["firewall-cmd --zone=public --add-forward && firewall-cmd --permanent --zone=public --add-forward"], problem.Fixes);
    }

    [Fact]
    public void A_missing_masquerade_is_fixed_in_the_lans_zone_first()
    {
        var snapshot = OfficeSnapshot.Healthy() with { Firewalld = FirewalldState.Parse("public", Zones("ens33 wan0 wireguard0"), Policies) };
        var problems = OfficeSnapshot.Problems(snapshot with { Ruleset = NetfilterRuleset.Empty });

        var masquerade = Assert.Single(problems, p => p.Check == "masquerade ens33");
        Assert.Equal("firewall-cmd --zone=public --add-masquerade && firewall-cmd --permanent --zone=public --add-masquerade", masquerade.Fixes[0]);
    }
}
