using System.Globalization;
using System.Text.Json;
using Sitewire.Netfilter;

namespace Sitewire.Host.Linux;

/// <summary>
/// Parses `nft -j list ruleset` into a <see cref="NetfilterRuleset"/>. An MSS clamp (`tcp flags syn / syn,rst … tcp option
/// maxseg size set …`) reads as tcpflags syn, mss (when matched), verdict tcpmss. Rules added by iptables-nft appear here too, but
/// those using iptables extensions only as `xt` expressions without arguments: see <see cref="IptablesNftTables"/>.
/// Output that is not JSON, or lacks a field this reader needs or has it of another type, is a <see cref="FormatException"/>
/// naming the item; expressions it does not know are kept as not understood.
/// </summary>
public static class NftJson
{
    public static NetfilterRuleset Parse(string json)
    {
        using var document = Document(json);
        var chains = new List<NetfilterChain>();
        var rules = new List<NetfilterRule>();
        foreach (var (item, where) in Items(document))
        {
            if (TryProperty(item, "chain", out var chain))
            {
                var chainWhere = where + ".chain";
                chains.Add(new NetfilterChain(
                    RequiredString(chain, "family", chainWhere),
                    RequiredString(chain, "table", chainWhere),
                    RequiredString(chain, "name", chainWhere),
                    OptionalString(chain, "hook", chainWhere),
                    OptionalString(chain, "type", chainWhere),
                    OptionalString(chain, "policy", chainWhere) ?? "accept"));
            }
            else if (TryProperty(item, "rule", out var rule))
            {
                rules.Add(ParseRule(rule, where + ".rule"));
            }
        }
        return new NetfilterRuleset(chains, rules);
    }

    /// <summary>The tables (family, name) holding a rule with an `xt` expression: tables iptables-nft wrote with its extensions.</summary>
    public static IReadOnlyList<(string Family, string Table)> TablesWithXtExpressions(string json)
    {
        using var document = Document(json);
        var tables = new List<(string Family, string Table)>();
        foreach (var (item, where) in Items(document))
        {
            if (TryProperty(item, "rule", out var rule)
                && Expressions(rule, where + ".rule").Any(expression => TryProperty(expression.Element, "xt", out _)))
            {
                tables.Add((RequiredString(rule, "family", where + ".rule"), RequiredString(rule, "table", where + ".rule")));
            }
        }
        return [.. tables.Distinct()];
    }

    private static JsonDocument Document(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"`nft -j list ruleset` is not JSON: {exception.Message}", exception);
        }
    }

    private static IEnumerable<(JsonElement Item, string Where)> Items(JsonDocument document)
    {
        if (!TryProperty(document.RootElement, "nftables", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("the top level", "an object with an \"nftables\" array");
        }
        return items.EnumerateArray().Select((item, index) => (item, $"nftables[{index}]"));
    }

    private static IEnumerable<(JsonElement Element, string Where)> Expressions(JsonElement rule, string where)
    {
        var expressions = Required(rule, "expr", where);
        if (expressions.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(where + ".expr", "an array");
        }
        return expressions.EnumerateArray().Select((expression, index) => (expression, $"{where}.expr[{index}]"));
    }

    private static NetfilterRule ParseRule(JsonElement rule, string where)
    {
        var matches = new Dictionary<string, string>();
        var verdict = "";
        string? mapsTo = null;
        var unevaluable = new List<string>();
        foreach (var (expression, expressionWhere) in Expressions(rule, where))
        {
            if (expression.ValueKind != JsonValueKind.Object || !expression.EnumerateObject().Any())
            {
                throw Invalid(expressionWhere, "an object naming one expression");
            }
            var property = expression.EnumerateObject().First();
            var propertyWhere = $"{expressionWhere}.{property.Name}";
            switch (property.Name)
            {
                case "match" when IsSynMatch(property.Value):
                    matches["l4proto"] = "tcp";
                    matches["tcpflags"] = "syn";
                    break;
                case "mangle" when IsMaxseg(Required(property.Value, "key", propertyWhere)):
                    verdict = verdict.Length == 0 ? "tcpmss" : verdict;
                    break;
                case "match":
                    var left = Required(property.Value, "left", propertyWhere);
                    var key = MatchKey(left, propertyWhere + ".left");
                    var op = OptionalString(property.Value, "op", propertyWhere) ?? "==";
                    var payloadProtocol = PayloadProtocol(left, propertyWhere + ".left");
                    if (L4ProtoOf(payloadProtocol) is { } l4proto)
                    {
                        matches["l4proto"] = l4proto;
                    }
                    if (key is null || op is not ("==" or "in" or "!="))
                    {
                        unevaluable.Add(left.GetRawText());
                        break;
                    }
                    matches[op == "!=" ? "!" + key : key] = Value(Required(property.Value, "right", propertyWhere), propertyWhere + ".right");
                    if (NfProtoOf(payloadProtocol) is { } nfproto)
                    {
                        matches["nfproto"] = nfproto;
                    }
                    break;
                case "snat" or "dnat" when PrefixMapping(property.Value) is { } prefix:
                    verdict = "netmap";
                    mapsTo = prefix;
                    break;
                case "snat" or "dnat":
                    verdict = property.Name;
                    mapsTo = TranslatedTo(property.Value);
                    break;
                case "accept" or "drop" or "masquerade" or "return" or "reject":
                    verdict = property.Name;
                    break;
                case "jump" or "goto":
                    verdict = $"{property.Name}:{RequiredString(property.Value, "target", propertyWhere)}";
                    break;
                case "xt":
                    var name = OptionalString(property.Value, "name", propertyWhere)?.ToLowerInvariant() ?? "";
                    if (OptionalString(property.Value, "type", propertyWhere) == "target")
                    {
                        verdict = NonTerminatingTargets.Contains(name) ? verdict : name;
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
        var family = RequiredString(rule, "family", where);
        var table = RequiredString(rule, "table", where);
        var chain = RequiredString(rule, "chain", where);
        var text = string.Join(' ', matches.Select(m => $"{m.Key} {m.Value}").Concat(unevaluable).Append(verdict.Length == 0 ? "(no verdict)" : verdict));
        return new NetfilterRule(family, table, chain, matches, verdict, unevaluable.Count > 0, $"{family} {table} {chain}: {text}{(mapsTo is null ? "" : $" to {mapsTo}")}", mapsTo);
    }

    /// <summary>`dnat|snat ip prefix to P` (JSON: an addr prefix with type_flags prefix): the prefix P, else null.</summary>
    private static string? PrefixMapping(JsonElement nat) =>
        nat.ValueKind == JsonValueKind.Object && TryProperty(nat, "type_flags", out var flags) && IsOrHolds(flags, "prefix")
        && TryProperty(nat, "addr", out var addr) && TryProperty(addr, "prefix", out var prefix)
        && TryProperty(prefix, "addr", out var address) && address.ValueKind == JsonValueKind.String
        && TryProperty(prefix, "len", out var length) && length.ValueKind == JsonValueKind.Number && length.TryGetInt32(out var bits)
            ? $"{address.GetString()}/{bits}"
            : null;

    /// <summary>`dnat|snat to A` or `to A:PORT` (JSON: addr, port): <c>A</c>, <c>A:PORT</c> or <c>[A6]:PORT</c>; null for what is not one address (a map, a range, a port only).</summary>
    private static string? TranslatedTo(JsonElement nat)
    {
        if (nat.ValueKind != JsonValueKind.Object || !TryProperty(nat, "addr", out var addr) || addr.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var address = addr.GetString()!;
        if (!TryProperty(nat, "port", out var port))
        {
            return address;
        }
        if (port.ValueKind != JsonValueKind.Number || !port.TryGetInt32(out var number))
        {
            return null;
        }
        return address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{number}" : $"{address}:{number}";
    }

    /// <summary>A flags value nft prints as one string or as an array of them.</summary>
    private static bool IsOrHolds(JsonElement flags, string flag) =>
        flags.ValueKind == JsonValueKind.String ? flags.GetString() == flag
        : flags.ValueKind == JsonValueKind.Array && flags.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && item.GetString() == flag);

    /// <summary>`tcp flags syn / syn,rst` (== syn): a connection's first packet.</summary>
    private static bool IsSynMatch(JsonElement match) =>
        TryProperty(match, "left", out var left) && TryProperty(left, "&", out var and) && and.ValueKind == JsonValueKind.Array && and.GetArrayLength() == 2
        && TryProperty(and[0], "payload", out var payload) && OptionalString(payload, "protocol", "") == "tcp" && OptionalString(payload, "field", "") == "flags"
        && and[1].ValueKind == JsonValueKind.Array && and[1].EnumerateArray().Select(flag => flag.GetString()).Order().SequenceEqual(["rst", "syn"])
        && TryProperty(match, "right", out var right) && right.ValueKind == JsonValueKind.String && right.GetString() == "syn"
        && (OptionalString(match, "op", "") ?? "==") == "==";

    /// <summary>`tcp option maxseg size`.</summary>
    private static bool IsMaxseg(JsonElement key) =>
        TryProperty(key, "tcp option", out var option) && OptionalString(option, "name", "") == "maxseg" && OptionalString(option, "field", "") == "size";

    private static string? MatchKey(JsonElement left, string where)
    {
        if (IsMaxseg(left))
        {
            return "mss";
        }
        if (TryProperty(left, "meta", out var meta))
        {
            return RequiredString(meta, "key", where + ".meta") switch
            {
                "iifname" => "iifname",
                "oifname" => "oifname",
                "l4proto" => "l4proto",
                "nfproto" => "nfproto",
                _ => null,
            };
        }
        if (TryProperty(left, "payload", out var payload) && OptionalString(payload, "field", where + ".payload") is { } field)
        {
            return field switch
            {
                "saddr" => "saddr",
                "daddr" => "daddr",
                "dport" => "dport",
                "protocol" or "nexthdr" => "l4proto",
                "type" when OptionalString(payload, "protocol", where + ".payload") is "icmp" or "icmpv6" => "icmptype",
                _ => null,
            };
        }
        if (TryProperty(left, "ct", out var ct))
        {
            return RequiredString(ct, "key", where + ".ct") switch
            {
                "state" => "ctstate",
                "status" => "ctstatus",
                _ => null,
            };
        }
        return null;
    }

    /// <summary>The protocol a payload match names ("tcp" in `tcp dport …`, "ip6" in `ip6 saddr …`), null for other matches.</summary>
    private static string? PayloadProtocol(JsonElement left, string where) =>
        TryProperty(left, "payload", out var payload) ? OptionalString(payload, "protocol", where + ".payload") : null;

    /// <summary>
    /// `udp dport …`, `icmpv6 type …` match only packets of that protocol, whatever else the doctor can evaluate of them: the
    /// payload's protocol as l4proto (as nft names it), so such a rule is passed over for other protocols.
    /// </summary>
    private static string? L4ProtoOf(string? payloadProtocol) => payloadProtocol switch
    {
        "tcp" => "tcp",
        "udp" => "udp",
        "icmp" => "icmp",
        "icmpv6" => "ipv6-icmp",
        _ => null,
    };

    /// <summary>`ip saddr …` matches only IPv4 packets and `ip6 saddr …` only IPv6 ones (in inet tables too): the payload's family as nfproto.</summary>
    private static string? NfProtoOf(string? payloadProtocol) => payloadProtocol switch
    {
        "ip" => IpFamily.V4.NfProto,
        "ip6" => IpFamily.V6.NfProto,
        _ => null,
    };

    private static string Value(JsonElement right, string where) => right.ValueKind switch
    {
        JsonValueKind.String => right.GetString()!,
        JsonValueKind.Number => right.GetRawText(),
        JsonValueKind.Array => string.Join(',', right.EnumerateArray().Select((item, index) => Value(item, $"{where}[{index}]"))),
        JsonValueKind.Object when right.TryGetProperty("prefix", out var prefix) =>
            $"{RequiredString(prefix, "addr", where + ".prefix")}/{PrefixLength(Required(prefix, "len", where + ".prefix"), where + ".prefix.len")}",
        JsonValueKind.Object when right.TryGetProperty("set", out var set) => Value(set, where + ".set"),
        JsonValueKind.Object when right.TryGetProperty("range", out var range) && range.ValueKind == JsonValueKind.Array =>
            string.Join('-', range.EnumerateArray().Select((item, index) => Value(item, $"{where}.range[{index}]"))),
        _ => right.GetRawText(),
    };

    private static string PrefixLength(JsonElement length, string where) =>
        length.ValueKind == JsonValueKind.Number && length.TryGetInt32(out var bits) && bits >= 0
            ? bits.ToString(CultureInfo.InvariantCulture)
            : throw Invalid(where, "a prefix length");

    /// <summary>The property of an object; false when <paramref name="element"/> is not an object or lacks it.</summary>
    private static bool TryProperty(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value);
    }

    private static JsonElement Required(JsonElement element, string name, string where) =>
        TryProperty(element, name, out var value) ? value : throw Invalid(where, $"an object with \"{name}\"");

    private static string RequiredString(JsonElement element, string name, string where) =>
        OptionalString(element, name, where) ?? throw Invalid(where, $"an object with the text \"{name}\"");

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!TryProperty(element, name, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"{where}.{name}", "text");
    }

    private static FormatException Invalid(string where, string expected) =>
        new($"`nft -j list ruleset`: {where} is not {expected}");
}
