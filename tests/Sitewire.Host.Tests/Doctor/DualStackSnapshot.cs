using Sitewire.Config.Topology;
using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;
using Sitewire.Planner.Expected;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Verify;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>examples/dualstack.yaml's hq node as recorded in its lab (healthy, wg0, IPv4 and IPv6), for injecting one fault at a time.</summary>
internal static class DualStackSnapshot
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795655111);

    public static WireGuardPeerState Relay { get; } = new(
        "KDy2KQQB3p2xgHUM4R7Xdr9Hxd1/7FOJIfwORncWvkc=", false, "203.0.113.60:51820",
        ["10.60.0.0/24", "fd00:60::/64", "10.20.0.0/24", "fd00:10:20::/64"], Now.AddSeconds(-6), 5956, 6780, null);

    public static NodeSnapshot Healthy() => new(
        [new WireGuardInterfaceState("wg0", "hS/XO9EC9o0qXvTa4RZUOF4wpIZTsur8O9GVB6bFjmE=", 51820, "off", [Relay])],
        IpJson.ParseLinks(Recorded.Read("hq-dualstack.link.json")),
        IpJson.ParseAddresses(Recorded.Read("hq-dualstack.addr.json")),
        [.. IpJson.ParseRoutes(Recorded.Read("hq-dualstack.routes.json"), IpFamily.V4), .. IpJson.ParseRoutes(Recorded.Read("hq-dualstack.routes6.json"), IpFamily.V6)],
        DefaultPolicyRules.Both,
        NftJson.Parse(Recorded.Read("hq-dualstack.nft.json")).Merge(RecordedClamps.Nft("wg0-dualstack")),
        new Dictionary<string, string>
        {
            ["net/ipv4/ip_forward"] = "1",
            ["net/ipv6/conf/all/forwarding"] = "1",
            ["net/ipv4/conf/all/rp_filter"] = "0",
            ["net/ipv4/conf/wg0/rp_filter"] = "0",
        },
        new Dictionary<string, EndpointRoute> { ["203.0.113.60"] = new("wan0", "198.51.100.61", null) },
        null,
        Now);

    public static NodeSnapshot WithSysctl(this NodeSnapshot snapshot, string key, string value) =>
        snapshot with { Sysctls = new Dictionary<string, string>(snapshot.Sysctls) { [key] = value } };

    public static NodeSnapshot WithoutRules(this NodeSnapshot snapshot, Func<NetfilterRule, bool> removed) =>
        snapshot with { Ruleset = snapshot.Ruleset with { Rules = [.. snapshot.Ruleset.Rules.Where(r => !removed(r))] } };

    public static NodeSnapshot Merged(this NodeSnapshot snapshot, NetfilterRuleset extra) => snapshot with { Ruleset = snapshot.Ruleset.Merge(extra) };

    public static IReadOnlyList<DoctorFinding> Findings(NodeSnapshot snapshot, DoctorExpectation? expectation = null) =>
        Assert.Single(NodeDoctor.Examine(snapshot, "wg0", expectation)).Findings;

    public static IReadOnlyList<DoctorFinding> Problems(NodeSnapshot snapshot, DoctorExpectation? expectation = null) =>
        [.. Findings(snapshot, expectation).Where(f => f.Status == CheckStatus.Problem)];

    /// <summary>hq's plan from the topology its lab ran: what `doctor --topology dualstack.yaml --node hq` compares with.</summary>
    public static (NetworkPlan Plan, NodePlan Node) Plan()
    {
        var loaded = TopologyLoader.LoadText(Recorded.Read("dualstack.yaml"), "dualstack.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        var plan = InMemoryPlan.Of(loaded.Topology);
        return (plan, plan.NodeNamed("hq"));
    }

    public static DoctorExpectation Expectation() => DoctorExpectations.For(Expected());

    /// <summary>hq's expected state, as `doctor --topology dualstack.yaml --node hq` derives it.</summary>
    public static ExpectedState Expected()
    {
        var (plan, node) = Plan();
        return ExpectedStates.For(plan, node, knownKeys: false);
    }
}
