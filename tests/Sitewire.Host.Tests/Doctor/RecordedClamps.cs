using Sitewire.Host.Linux;
using Sitewire.Netfilter;

namespace Sitewire.Host.Tests.Doctor;

/// <summary>
/// The plan's MSS clamps as a node running the current plan holds them, recorded from the plan's PostUp on nft and on
/// iptables-nft (Recorded/clamp-*): the node snapshots recorded before the plan clamped get them merged in.
/// </summary>
internal static class RecordedClamps
{
    public static NetfilterRuleset Nft(string recording) => OnlyClamps(NftJson.Parse(Recorded.Read($"clamp-{recording}.nft.json")));

    public static NetfilterRuleset Iptables(string recording, IpFamily family) =>
        OnlyClamps(IptablesSave.Parse(Recorded.Read($"clamp-{recording}.{family.Iptables}-save.txt"), family.Nft));

    private static NetfilterRuleset OnlyClamps(NetfilterRuleset ruleset) =>
        new([.. ruleset.Chains.Where(chain => ruleset.RulesOf(chain).Any(IsClamp))], [.. ruleset.Rules.Where(IsClamp)]);

    private static bool IsClamp(NetfilterRule rule) => rule.Verdict == NetfilterEvaluator.Clamp;
}
