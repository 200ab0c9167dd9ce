using Sitewire.Host.Doctor;
using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// The seed's home node (<see cref="IptablesNftSnapshots.Home"/>) on a host whose filter table another program wrote:
/// Docker 20.10 (Debian 12's docker.io, recorded from dockerd run in a network namespace: docker.iptables-save and its nft
/// JSON), ufw 0.36 (recorded from ufw-init in a namespace, and after `ufw route allow in on wireguard0 out on ens3` and
/// back), and kube-proxy with k3s's flannel (written from their documented chains, not recorded).
/// </summary>
internal static class ForeignFirewallSnapshots
{
    /// <summary>Docker's recorded filter table (iptables-nft), with <paramref name="dockerUser"/> rules inserted at the top of DOCKER-USER.</summary>
    public static NetfilterRuleset Docker(params string[] dockerUser) =>
        FilterTable(IptablesNftTables.Read(Recorded.Read("docker.nft.json"), family => family == IpFamily.V4 ? WithDockerUser(dockerUser) : null));

    /// <summary>Docker 28's filter table with DOCKER-FORWARD, written from its documentation (not recorded).</summary>
    public static NetfilterRuleset Docker28() => IptablesSave.Parse(Recorded.Read("docker-28.documented.iptables-save.txt"));

    /// <summary>Docker's recorded filter table as iptables-legacy holds it (Docker on a host whose `iptables` is iptables-legacy).</summary>
    public static NetfilterRuleset DockerLegacy() => FilterTable(IptablesSave.Parse(Recorded.Read("docker.iptables-save.txt"), legacy: true));

    public static NetfilterRuleset Ufw(bool routeAllowed) =>
        FilterTable(IptablesNftTables.Read(Recorded.Read(routeAllowed ? "ufw-route-allowed.nft.json" : "ufw.nft.json"),
            family => family == IpFamily.V4 ? Recorded.Read(routeAllowed ? "ufw-route-allowed.iptables-save.txt" : "ufw.iptables-save.txt") : null));

    public static NetfilterRuleset KubeProxy() => IptablesSave.Parse(Recorded.Read("kube-proxy-k3s.documented.iptables-save.txt"));

    /// <summary>The home node with its IPv4 filter table (the planned forward accepts among it) replaced by <paramref name="filter"/>.</summary>
    public static NodeSnapshot HomeWithFilterTable(NetfilterRuleset filter)
    {
        var home = IptablesNftSnapshots.Home().Ruleset;
        bool IsHomeFilter(string family, string table, bool legacy) => family == "ip" && table == "filter" && !legacy && !filter.Chains.Any(c => c.Legacy);
        return IptablesNftSnapshots.Home() with
        {
            Ruleset = new NetfilterRuleset(
                [.. home.Chains.Where(c => !IsHomeFilter(c.Family, c.Table, c.Legacy)), .. filter.Chains],
                [.. home.Rules.Where(r => !IsHomeFilter(r.Family, r.Table, r.Legacy)), .. filter.Rules]),
        };
    }

    /// <summary>The home node with <paramref name="foreign"/>'s chains added to its filter table and its rules above the home node's (as kube-proxy inserts its jumps).</summary>
    public static NodeSnapshot HomeBeneath(NetfilterRuleset foreign)
    {
        var home = IptablesNftSnapshots.Home().Ruleset;
        return IptablesNftSnapshots.Home() with
        {
            Ruleset = new NetfilterRuleset(
                [.. home.Chains, .. foreign.Chains.Where(c => home.Chain(c.Family, c.Table, c.Name) is null)],
                [.. foreign.Rules, .. home.Rules]),
        };
    }

    private static string WithDockerUser(string[] rules) =>
        Recorded.Read("docker.iptables-save.txt").Replace("-A DOCKER-USER -j RETURN", string.Concat(rules.Select(rule => $"-A DOCKER-USER {rule}\n")) + "-A DOCKER-USER -j RETURN", StringComparison.Ordinal);

    private static NetfilterRuleset FilterTable(NetfilterRuleset ruleset) =>
        new([.. ruleset.Chains.Where(c => c.Table == "filter")], [.. ruleset.Rules.Where(r => r.Table == "filter")]);
}
