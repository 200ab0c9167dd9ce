using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Import;

/// <summary>
/// Reads an <c>nft</c> command (its script as one quoted word, or as words): statements split at <c>;</c>, <c>{</c> and
/// <c>}</c>, a chain's hook from its <c>type ... hook H</c> line or else its name. Tables, chains, policies accept and
/// teardown are what plan does itself; a rule with iifname/oifname, ip/ip6 saddr/daddr, tcp/udp dport, meta l4proto and
/// counter that ends in masquerade or drop, or a 1:1 prefix map at the tunnel (<c>dnat|snat ip prefix to P</c>), is a fact;
/// anything else is unknown.
/// </summary>
internal static partial class NftReader
{
    public static IReadOnlyList<HookMeaning> Read(List<string> command, string tunnel)
    {
        if (command.Skip(1).Any(word => word.StartsWith('-')))
        {
            return [HookMeaning.Unknown];
        }
        var script = string.Join(' ', command.Skip(1));
        var meanings = new List<HookMeaning>();
        var hooks = new Dictionary<string, string>(StringComparer.Ordinal);
        var chains = new Stack<string?>();
        var statement = new List<string>();
        var start = 0;
        for (var index = 0; index <= script.Length; index++)
        {
            var c = index < script.Length ? script[index] : ';';
            if (c is not (';' or '{' or '}'))
            {
                continue;
            }
            var words = script[start..index].Split(' ', '\t').Where(word => word.Length > 0).Select(word => word.Trim('"')).ToList();
            start = index + 1;
            var chain = chains.Count > 0 ? chains.Peek() : null;
            if (c == '{')
            {
                chains.Push(words switch
                {
                    ["chain", var name] => name,
                    [_, "chain", _, _, var name] => name,
                    _ => null,
                });
                meanings.Add(words.Count > 0 && words[0] is "table" or "chain" or "add" ? HookMeaning.Planned : HookMeaning.Unknown);
                continue;
            }
            if (words.Count > 0)
            {
                meanings.Add(Statement(words, chain, hooks, tunnel));
            }
            if (c == '}' && chains.Count > 0)
            {
                chains.Pop();
            }
        }
        return meanings.Count == 0 ? [HookMeaning.Unknown] : meanings;
    }

    private static HookMeaning Statement(List<string> words, string? chain, Dictionary<string, string> hooks, string tunnel)
    {
        switch (words)
        {
            case ["add" or "create", "table", ..] or ["delete" or "flush", "table", ..] or ["table", ..]:
            case ["add" or "create", "chain", ..]:
            case ["policy", "accept"]:
                return HookMeaning.Planned;
            case ["type", _, "hook", var hook, ..] when chain is not null:
                hooks[chain] = hook;
                return HookMeaning.Planned;
            case ["add" or "insert", "rule", _, _, var ruleChain, .. var rule]:
                return Rule(rule, hooks.GetValueOrDefault(ruleChain, ruleChain.ToLowerInvariant()), tunnel);
            default:
                return chain is not null ? Rule(words, hooks.GetValueOrDefault(chain, chain.ToLowerInvariant()), tunnel) : HookMeaning.Unknown;
        }
    }

    private static HookMeaning Rule(IReadOnlyList<string> words, string hook, string tunnel)
    {
        if (hook == "forward" && IsMssClamp(words))
        {
            return HookMeaning.Planned;
        }
        if (words is [.., "dnat" or "snat", "ip", "prefix", "to", var to])
        {
            return Rule([.. words.Take(words.Count - 5), words[^5] + " prefix"], hook, tunnel, HookReader.Prefix(to, v6: false));
        }
        return Rule(words, hook, tunnel, null);
    }

    private static HookMeaning Rule(IReadOnlyList<string> words, string hook, string tunnel, IPNetwork? mapsTo)
    {
        string? inInterface = null, outInterface = null, protocol = null;
        int? port = null;
        IPNetwork? source = null, destination = null;
        var tracked = false;
        for (var index = 0; index < words.Count - 1; index++)
        {
            var next = words[index + 1];
            switch (words[index])
            {
                case "iifname" or "iif" or "oifname" or "oif":
                    var name = HookReader.Interface(next, tunnel);
                    if (name is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    (inInterface, outInterface) = words[index].StartsWith('i') ? (name, outInterface) : (inInterface, name);
                    index++;
                    break;
                case "ip" or "ip6" when index + 2 < words.Count - 1 && next is "saddr" or "daddr":
                    var prefix = HookReader.Prefix(words[index + 2], words[index] == "ip6");
                    if (prefix is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    (source, destination) = next == "saddr" ? (prefix, destination) : (source, prefix);
                    index += 2;
                    break;
                case "tcp" or "udp" when next == "dport" && index + 2 < words.Count - 1:
                    protocol = words[index];
                    port = int.TryParse(words[index + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535 ? number : null;
                    if (port is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    index += 2;
                    break;
                case "meta" when next == "l4proto" && index + 2 < words.Count - 1 && words[index + 2] is "tcp" or "udp":
                    protocol = words[index + 2];
                    index += 2;
                    break;
                case "ct" when next == "state" && index + 2 < words.Count - 1:
                    tracked = true;
                    index += 2;
                    break;
                case "counter":
                    break;
                default:
                    return HookMeaning.Unknown;
            }
        }
        return (words.Count > 0 ? words[^1] : "", hook) switch
        {
            ("masquerade", "postrouting") when inInterface is null && port is null => new HookMeaning(HookMeaningKind.Masquerade, outInterface),
            ("accept", "forward" or "input") => HookMeaning.Planned,
            ("dnat prefix", "prerouting") or ("snat prefix", "postrouting") when port is null && protocol is null =>
                HookReader.PrefixMap(hook == "prerouting", inInterface, outInterface, source, destination, mapsTo, tunnel),
            ("drop", "forward" or "input") when !tracked && (hook == "forward" || outInterface is null) => new HookMeaning(HookMeaningKind.Drop,
                Drop: new DropRule(hook == "forward" ? FilterChain.Forward : FilterChain.Input, inInterface, outInterface, HookReader.ProtocolOf(protocol), port, source, destination)),
            _ => HookMeaning.Unknown,
        };
    }

    /// <summary>The MSS clamp plan writes: an optional <c>meta nfproto</c>, <c>iifname</c> or <c>oifname</c>, the SYN
    /// match, an optional size match, then <c>tcp option maxseg size set rt mtu</c> or <c>… set N</c>.</summary>
    private static bool IsMssClamp(IReadOnlyList<string> words) =>
        MssClampRule().IsMatch(string.Join(' ', words));

    [GeneratedRegex(@"^(meta nfproto ipv[46] )?(iifname|oifname) \S+ tcp flags syn / syn,rst (tcp option maxseg size \d+-65535 )?tcp option maxseg size set (rt mtu|\d+)$")]
    private static partial Regex MssClampRule();
}
