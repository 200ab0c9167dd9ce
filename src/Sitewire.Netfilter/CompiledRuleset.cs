using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;

namespace Sitewire.Netfilter;

/// <summary>
/// A ruleset made ready for <see cref="NetfilterEvaluator"/> once: each chain's rules in order, each match's values split and
/// parsed (prefixes, port ranges, interface wildcards). Verify walks hundreds of thousands of packets through the same few
/// rulesets; compiled, a walk allocates nothing per rule. Built on first use, kept as long as the ruleset lives; a ruleset is
/// immutable, so it never goes stale.
/// </summary>
internal sealed class CompiledRuleset
{
    private static readonly ConditionalWeakTable<NetfilterRuleset, CompiledRuleset> Cache = [];

    private readonly Dictionary<(string Family, string Table, string Name, bool Legacy), CompiledChain> _byName = [];

    private CompiledRuleset(NetfilterRuleset ruleset)
    {
        var rules = new Dictionary<(string, string, string, bool), List<CompiledRule>>();
        foreach (var rule in ruleset.Rules)
        {
            var key = (rule.Family, rule.Table, rule.Chain, rule.Legacy);
            if (!rules.TryGetValue(key, out var list))
            {
                rules[key] = list = [];
            }
            list.Add(new CompiledRule(rule));
        }
        Chains = [.. ruleset.Chains.Select(chain => new CompiledChain(chain,
            rules.TryGetValue((chain.Family, chain.Table, chain.Name, chain.Legacy), out var held) ? [.. held] : []))];
        foreach (var chain in Chains)
        {
            _byName.TryAdd((chain.Chain.Family, chain.Chain.Table, chain.Chain.Name, chain.Chain.Legacy), chain);
        }
    }

    /// <summary>Every chain, in the ruleset's order.</summary>
    public CompiledChain[] Chains { get; }

    public static CompiledRuleset Of(NetfilterRuleset ruleset) => Cache.GetValue(ruleset, static r => new CompiledRuleset(r));

    /// <summary>The chain a rule jumps to in its own table (the first of that name, as <see cref="NetfilterRuleset.Chain(NetfilterRule, string)"/>), or null.</summary>
    public CompiledChain? Target(NetfilterRule from, string name) => _byName.GetValueOrDefault((from.Family, from.Table, name, from.Legacy));
}

internal sealed record CompiledChain(NetfilterChain Chain, CompiledRule[] Rules)
{
    public bool IsBaseAt(string hook, string? type, IpFamily family) =>
        Chain.Hook == hook && (type is null || Chain.Type == type) && (Chain.Family == family.Nft || Chain.Family == "inet");
}

internal sealed class CompiledRule
{
    public CompiledRule(NetfilterRule rule)
    {
        Rule = rule;
        Matches = [.. rule.Matches.Select(match => new CompiledMatch(match.Key, match.Value))];
        HasAddressType = rule.Matches.ContainsKey("dsttype");
    }

    public NetfilterRule Rule { get; }

    public CompiledMatch[] Matches { get; }

    public bool HasAddressType { get; }
}

/// <summary>One match with its values split on commas and, where the key needs it, parsed.</summary>
internal sealed class CompiledMatch
{
    public CompiledMatch(string key, string value)
    {
        Key = key;
        Values = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Prefixes = key is "saddr" or "daddr" ? [.. Values.Select(IpFamily.ParsePrefix).OfType<IPNetwork>()] : [];
        Ranges = key is "dport" or "mss" ? [.. Values.Select(Range).OfType<(int, int)>()] : [];
    }

    public string Key { get; }

    public string[] Values { get; }

    public IPNetwork[] Prefixes { get; }

    public (int Low, int High)[] Ranges { get; }

    public bool Holds(string value) => Array.IndexOf(Values, value) >= 0;

    /// <summary>Whether one of the values passes <paramref name="test"/>; the state keeps the call from allocating a closure.</summary>
    public bool Any<TState>(TState state, Func<string, TState, bool> test)
    {
        foreach (var value in Values)
        {
            if (test(value, state))
            {
                return true;
            }
        }
        return false;
    }

    public bool InRange(int value)
    {
        foreach (var (low, high) in Ranges)
        {
            if (low <= value && value <= high)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether an interface name matches one of the values, a trailing * (nft) or + (iptables) matching any suffix.</summary>
    public bool NamesInterface(string name)
    {
        foreach (var pattern in Values)
        {
            if (pattern.EndsWith('*') || pattern.EndsWith('+') ? name.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal) : pattern == name)
            {
                return true;
            }
        }
        return false;
    }

    public bool Contains(IPNetwork packet)
    {
        foreach (var prefix in Prefixes)
        {
            if (prefix.PrefixLength <= packet.PrefixLength && prefix.Contains(packet.BaseAddress))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A port or MSS value or range, written a-b (nft) or a:b (iptables), or null when it is neither.</summary>
    private static (int, int)? Range(string pattern)
    {
        var bounds = pattern.Split('-', ':');
        return bounds.Length == 2
            ? int.TryParse(bounds[0], CultureInfo.InvariantCulture, out var low) && int.TryParse(bounds[1], CultureInfo.InvariantCulture, out var high) ? (low, high) : null
            : int.TryParse(pattern, CultureInfo.InvariantCulture, out var single) ? (single, single) : null;
    }
}
