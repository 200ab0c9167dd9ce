using System.Globalization;
using System.Text.Json;

namespace Sitewire.Host.Linux;

/// <summary>
/// Parses `nft -j list ruleset` into a <see cref="NetfilterRuleset"/>. Rules added by iptables-nft appear here too, but
/// those using iptables extensions only as `xt` expressions without arguments: see <see cref="IptablesNftTables"/>.
/// </summary>
public static class NftJson
{
    public static NetfilterRuleset Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var chains = new List<NetfilterChain>();
        var rules = new List<NetfilterRule>();
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var chain))
            {
                chains.Add(new NetfilterChain(
                    chain.GetProperty("family").GetString()!,
                    chain.GetProperty("table").GetString()!,
                    chain.GetProperty("name").GetString()!,
                    chain.TryGetProperty("hook", out var hook) ? hook.GetString() : null,
                    chain.TryGetProperty("type", out var type) ? type.GetString() : null,
                    chain.TryGetProperty("policy", out var policy) ? policy.GetString()! : "accept"));
            }
            else if (item.TryGetProperty("rule", out var rule))
            {
                rules.Add(ParseRule(rule));
            }
        }
        return new NetfilterRuleset(chains, rules);
    }

    /// <summary>The tables (family, name) holding a rule with an `xt` expression: tables iptables-nft wrote with its extensions.</summary>
    public static IReadOnlyList<(string Family, string Table)> TablesWithXtExpressions(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty("rule", out var rule) && rule.GetProperty("expr").EnumerateArray().Any(e => e.TryGetProperty("xt", out _)))
            .Select(item => item.GetProperty("rule"))
            .Select(rule => (rule.GetProperty("family").GetString()!, rule.GetProperty("table").GetString()!))
            .Distinct()];
    }

    private static NetfilterRule ParseRule(JsonElement rule)
    {
        var matches = new Dictionary<string, string>();
        var verdict = "";
        var unevaluable = new List<string>();
        foreach (var expression in rule.GetProperty("expr").EnumerateArray())
        {
            var property = expression.EnumerateObject().First();
            switch (property.Name)
            {
                case "match":
                    var key = MatchKey(property.Value.GetProperty("left"));
                    var op = property.Value.TryGetProperty("op", out var o) ? o.GetString() : "==";
                    if (ProtocolOfPayload(property.Value.GetProperty("left")) is { } l4proto)
                    {
                        matches["l4proto"] = l4proto;
                    }
                    if (key is null || op is not ("==" or "in" or "!="))
                    {
                        unevaluable.Add(property.Value.GetProperty("left").GetRawText());
                        break;
                    }
                    matches[op == "!=" ? "!" + key : key] = Value(property.Value.GetProperty("right"));
                    if (FamilyOfPayload(property.Value.GetProperty("left")) is { } nfproto)
                    {
                        matches["nfproto"] = nfproto;
                    }
                    break;
                case "accept" or "drop" or "masquerade" or "return" or "snat" or "dnat" or "reject":
                    verdict = property.Name;
                    break;
                case "jump" or "goto":
                    verdict = $"{property.Name}:{property.Value.GetProperty("target").GetString()}";
                    break;
                case "xt":
                    var name = property.Value.TryGetProperty("name", out var n) ? n.GetString()!.ToLowerInvariant() : "";
                    if (property.Value.TryGetProperty("type", out var t) && t.GetString() == "target")
                    {
                        verdict = name;
                    }
                    else if (name != "comment")
                    {
                        unevaluable.Add($"xt match {name} (nft does not show its arguments)");
                    }
                    break;
                case "counter" or "log" or "comment" or "limit":
                    break;
                default:
                    unevaluable.Add(property.Name);
                    break;
            }
        }
        var text = string.Join(' ', matches.Select(m => $"{m.Key} {m.Value}").Concat(unevaluable).Append(verdict.Length == 0 ? "(no verdict)" : verdict));
        return new NetfilterRule(
            rule.GetProperty("family").GetString()!,
            rule.GetProperty("table").GetString()!,
            rule.GetProperty("chain").GetString()!,
            matches,
            verdict,
            unevaluable.Count > 0,
            $"{rule.GetProperty("family").GetString()} {rule.GetProperty("table").GetString()} {rule.GetProperty("chain").GetString()}: {text}");
    }

    private static string? MatchKey(JsonElement left)
    {
        if (left.TryGetProperty("meta", out var meta))
        {
            return meta.GetProperty("key").GetString() switch
            {
                "iifname" => "iifname",
                "oifname" => "oifname",
                "l4proto" => "l4proto",
                "nfproto" => "nfproto",
                _ => null,
            };
        }
        if (left.TryGetProperty("payload", out var payload) && payload.TryGetProperty("field", out var field))
        {
            return field.GetString() switch
            {
                "saddr" => "saddr",
                "daddr" => "daddr",
                "dport" => "dport",
                "protocol" or "nexthdr" => "l4proto",
                _ => null,
            };
        }
        if (left.TryGetProperty("ct", out var ct))
        {
            return ct.GetProperty("key").GetString() switch
            {
                "state" => "ctstate",
                "status" => "ctstatus",
                _ => null,
            };
        }
        return null;
    }

    /// <summary>
    /// `udp dport …`, `icmpv6 type …` match only packets of that protocol, whatever else the doctor can evaluate of them: the
    /// payload's protocol as l4proto (as nft names it), so such a rule is passed over for other protocols.
    /// </summary>
    private static string? ProtocolOfPayload(JsonElement left) =>
        left.TryGetProperty("payload", out var payload) && payload.TryGetProperty("protocol", out var protocol)
            ? protocol.GetString() switch
            {
                "tcp" => "tcp",
                "udp" => "udp",
                "icmp" => "icmp",
                "icmpv6" => "ipv6-icmp",
                _ => null,
            }
            : null;

    /// <summary>`ip saddr …` matches only IPv4 packets and `ip6 saddr …` only IPv6 ones (in inet tables too): the payload's family as nfproto.</summary>
    private static string? FamilyOfPayload(JsonElement left) =>
        left.TryGetProperty("payload", out var payload) && payload.TryGetProperty("protocol", out var protocol)
            ? protocol.GetString() switch
            {
                "ip" => IpFamily.V4.NfProto,
                "ip6" => IpFamily.V6.NfProto,
                _ => null,
            }
            : null;

    private static string Value(JsonElement right) => right.ValueKind switch
    {
        JsonValueKind.String => right.GetString()!,
        JsonValueKind.Number => right.GetRawText(),
        JsonValueKind.Array => string.Join(',', right.EnumerateArray().Select(Value)),
        JsonValueKind.Object when right.TryGetProperty("prefix", out var prefix) =>
            $"{prefix.GetProperty("addr").GetString()}/{prefix.GetProperty("len").GetInt32().ToString(CultureInfo.InvariantCulture)}",
        JsonValueKind.Object when right.TryGetProperty("set", out var set) => Value(set),
        JsonValueKind.Object when right.TryGetProperty("range", out var range) => string.Join('-', range.EnumerateArray().Select(Value)),
        _ => right.GetRawText(),
    };
}
