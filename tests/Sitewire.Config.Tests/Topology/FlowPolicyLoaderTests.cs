using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>`network.policy`, `groups:` and group ends in flows: what they expand to, the rules they make, and the errors they give.</summary>
public sealed class FlowPolicyLoaderTests
{
    private const string Valid = """
        network:
          overlay: 10.200.0.0/24
          policy: flows
        nodes:
          - name: relay
            role: relay
            endpoint: 198.51.100.1:51820
            address: 10.200.0.1
          - name: office
            lan:
              interface: eth1
              address: 10.1.0.1/24
          - name: home
            lan:
              interface: eth1
              address: 10.2.0.1/24
          - name: phone
            role: client
        hosts:
          - name: server
            site: office
            address: 10.1.0.5
            services: [445/tcp]
          - name: pad
            site: home
            address: 10.2.0.5
          - name: tv
            site: home
            address: 10.2.0.6
        groups:
          staff: [pad, phone]
        flows:
          - from: staff
            to: server:445/tcp
          - from: site:home
            to: server
          - from: tv
            to: server
            expect: deny
          - from: [phone, site:office]
            to: site:home:22/tcp
            expect: deny
        """;

    private static Sitewire.Config.Topology.Topology Load(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Topology;
    }

    [Fact]
    public void Policy_defaults_to_open_and_reads_flows()
    {
        Assert.Equal(FlowPolicy.Flows, Load(Valid).Network.Policy);
        Assert.Equal(FlowPolicy.Open, Load(Valid.Replace("  policy: flows\n", "", StringComparison.Ordinal)).Network.Policy);
        Assert.Equal(FlowPolicy.Open, TopologyLoader.Load(RepositoryPaths.Example("seed.yaml")).Topology!.Network.Policy);
    }

    [Fact]
    public void Group_site_and_list_ends_expand_to_every_member_and_a_deny_takes_the_member_it_names()
    {
        var flows = Load(Valid).Flows.Select(flow => flow.ToString()).ToList();

        Assert.Equal(
        [
            "pad -> server:445/tcp (allow)",
            "phone -> server:445/tcp (allow)",
            "pad -> server (allow)",
            "tv -> server (deny)",
            "phone -> pad:22/tcp (deny)",
            "phone -> tv:22/tcp (deny)",
            "server -> pad:22/tcp (deny)",
            "server -> tv:22/tcp (deny)",
        ], flows);
    }

    [Fact]
    public void Each_entry_is_one_rule_whose_site_ends_are_the_sites_subnets()
    {
        var rules = Load(Valid).FlowRules;

        Assert.Equal(4, rules.Count);
        var phone = Load(Valid).NodeNamed("phone").OverlayAddress;
        Assert.Equal([IPNetwork.Parse("10.2.0.5/32"), new IPNetwork(phone, 32)], rules[0].Sources);
        Assert.Equal([IPNetwork.Parse("10.1.0.5/32")], rules[0].Destinations);
        Assert.Equal((TransportProtocol.Tcp, 445), (rules[0].Protocol, rules[0].Port));
        Assert.Equal([IPNetwork.Parse("10.2.0.0/24")], rules[1].Sources);
        Assert.Equal((TransportProtocol.Icmp, (int?)null), (rules[1].Protocol, rules[1].Port));
        Assert.Equal(FlowExpectation.Deny, rules[3].Expect);
        Assert.Equal(2, rules[3].Sources.Count);
        Assert.Equal(IPNetwork.Parse("10.1.0.0/24"), rules[3].Sources[1]);
        Assert.Equal([IPNetwork.Parse("10.2.0.0/24")], rules[3].Destinations);
        Assert.Equal(("t.yaml", 40, 5), (rules[3].Location.File, rules[3].Location.Line, rules[3].Location.Column));
    }

    [Theory]
    [InlineData("  policy: flows", "  policy: strict", 3, 11, "network.policy", "'strict' is not a valid value")]
    [InlineData("  staff: [pad, phone]", "  staff: [pad, ghost]", 31, 16, "groups.staff[1]", "no host or node named 'ghost'")]
    [InlineData("  staff: [pad, phone]", "  staff: [pad, site:nowhere]", 31, 16, "groups.staff[1]", "no node named 'nowhere'")]
    [InlineData("  staff: [pad, phone]", "  staff: [pad, site:phone]", 31, 16, "groups.staff[1]", "node 'phone' has no lan")]
    [InlineData("  staff: [pad, phone]", "  staff: [pad, phone]\n  all: [staff]", 32, 9, "groups.all[0]", "no host or node named 'staff'")]
    [InlineData("  staff: [pad, phone]", "  pad: [phone]", 31, 3, "groups.pad", "group 'pad' has the name of a host or node")]
    [InlineData("  staff: [pad, phone]", "  staff: []", 31, 10, "groups.staff", "a group is not a non-empty list")]
    [InlineData("  - from: staff\n", "  - from: staf\n", 33, 11, "flows[0].from", "no host, node or group named 'staf'")]
    [InlineData("  - from: [phone, site:office]", "  - from: [phone, 7]", 40, 19, "flows[3].from[1]", "is not a flow end")]
    [InlineData("    to: site:home:22/tcp", "    to: site:relay:22/tcp", 41, 9, "flows[3].to", "node 'relay' has no lan")]
    [InlineData("  - name: office\n", "  - name: office\n    docker: true\n", 10, 13, "nodes[1].docker", "docker: true does not work with network.policy: flows yet")]
    [InlineData("    address: 10.1.0.1/24", "    address: 10.1.0.1/24\n      mapped_as: 10.9.0.0/24", 13, 18, "nodes[1].lan.mapped_as", "mapped_as does not work with network.policy: flows yet")]
    public void Bad_policy_input_is_reported_at_its_exact_position(string find, string replace, int line, int column, string field, string message) =>
        LoaderDiagnostics.AssertReportedAt(Valid, find, replace, line, column, field, message);

    [Fact]
    public void A_site_without_hosts_is_refused_where_it_is_named()
    {
        var text = Valid
            .Replace("  - name: server\n    site: office\n    address: 10.1.0.5\n    services: [445/tcp]\n", "", StringComparison.Ordinal)
            .Replace("    to: server:445/tcp", "    to: pad:445/tcp", StringComparison.Ordinal)
            .Replace("    to: server\n", "    to: relay\n", StringComparison.Ordinal);

        var result = TopologyLoader.LoadText(text, "t.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("flows[3].from[1]", diagnostic.Field);
        Assert.Contains("site 'office' has no hosts", diagnostic.Message, StringComparison.Ordinal);
    }
}
