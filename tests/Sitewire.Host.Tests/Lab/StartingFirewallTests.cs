using Sitewire.Config.Topology;
using Sitewire.Host.Lab;
using Sitewire.Planner.Layout;

namespace Sitewire.Host.Tests.Lab;

public class StartingFirewallTests
{
    private static readonly LabBlueprint Seed = PlannedLab.Load(null).Blueprint;

    [Fact]
    public void Debian_and_ubuntu_nodes_start_filtered_as_verify_assumes_and_rhel_family_nodes_run_firewalld()
    {
        Assert.Equal(StartingFirewall.IptablesForwardDrop, Seed.Host("home").Firewall);
        Assert.Equal(StartingFirewall.Firewalld, Seed.Host("office").Firewall);
        Assert.Equal(StartingFirewall.Firewalld, Seed.Host("relay").Firewall);
        Assert.Equal(["relay", "office"], LabFirewalld.Nodes(Seed).Select(n => n.Name));
        Assert.All(Seed.Hosts.Where(h => h.Role != LabRole.Node), h => Assert.Equal(StartingFirewall.Empty, h.Firewall));
    }

    [Fact]
    public void A_relay_without_os_is_ubuntu_and_a_debian_site_both_start_filtered()
    {
        var loaded = TopologyLoader.LoadText("""
            network:
              overlay: 10.200.0.0/24
              shape: hub
              hub: relay
            nodes:
              - name: relay
                role: relay
                endpoint: 203.0.113.10:51820
              - name: site
                role: site
                os: debian
                lan:
                  interface: eth1
                  address: 10.1.0.1/24
                  subnets: [10.1.0.0/24]
            """, "defaults.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));

        var blueprint = PlannedLab.From(loaded.Topology).Blueprint;

        Assert.All(["relay", "site"], node => Assert.Equal(StartingFirewall.IptablesForwardDrop, blueprint.Host(node).Firewall));
    }

    [Fact]
    public void The_baseline_drops_forwarding_for_both_families_and_accepts_established_and_related()
    {
        var commands = LabFirewallBaseline.Commands(StartingFirewall.IptablesForwardDrop).Select(c => string.Join(' ', c));

        Assert.Equal(
        [
            "iptables -P FORWARD DROP",
            "iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "ip6tables -P FORWARD DROP",
            "ip6tables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        ], commands);
        Assert.Empty(LabFirewallBaseline.Commands(StartingFirewall.Empty));
        Assert.Empty(LabFirewallBaseline.Commands(StartingFirewall.Firewalld));
    }

    [Fact]
    public void Firewalld_starts_with_rhel9s_public_zone_holding_the_nodes_own_interfaces_and_the_ports_flows_name_on_it()
    {
        var zone = LabFirewalld.Zone(Seed, "office");

        Assert.Equal("""
            <?xml version="1.0" encoding="utf-8"?>
            <zone>
              <short>Public</short>
              <service name="ssh"/>
              <service name="dhcpv6-client"/>
              <service name="cockpit"/>
              <port protocol="tcp" port="80"/>
              <interface name="ens33"/>
              <interface name="eth0"/>
              <forward/>
            </zone>

            """, zone);
        Assert.DoesNotContain("<port", LabFirewalld.Zone(Seed, "relay"), StringComparison.Ordinal);
        Assert.Contains("<interface name=\"eth0\"/>", LabFirewalld.Zone(Seed, "relay"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_names_which_nodes_start_filtered_and_which_run_firewalld()
    {
        var summary = LabFirewallBaseline.Summary(Seed);

        Assert.StartsWith("[lab] starting firewall: home: as verify assumes for Debian/Ubuntu (iptables and ip6tables FORWARD policy DROP", summary, StringComparison.Ordinal);
        Assert.Contains("; relay, office: firewalld as verify assumes for the RHEL family (default zone public", summary, StringComparison.Ordinal);
        Assert.Contains("; relay, office: empty (RHEL family, --no-firewalld", LabFirewallBaseline.Summary(Seed, firewalld: false), StringComparison.Ordinal);
    }

    /// <summary>Issue 9: a lab whose firewalld cannot start (package missing) fails naming the nodes, the packages and both ways on.</summary>
    [Fact]
    public void Firewalld_that_cannot_start_fails_the_lab_naming_nodes_packages_install_deps_and_no_firewalld()
    {
        var nodes = LabFirewalld.Nodes(Seed);

        var reason = LabFirewalld.CannotStart(nodes, command => command.StartsWith("firewall", StringComparison.Ordinal) ? null : "/usr/bin/" + command);

        Assert.Equal(
            "relay, office run firewalld (RHEL family), but firewalld, firewall-cmd are not installed (Debian packages firewalld): "
            + "run `sudo ./sitewire lab --install-deps`, or `sitewire lab --no-firewalld` to start those nodes with an empty firewall",
            reason);
        Assert.Null(LabFirewalld.CannotStart(nodes, command => "/usr/bin/" + command));
    }
}
