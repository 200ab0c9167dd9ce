namespace Sitewire.Netfilter;

/// <summary>
/// Parses `iptables-save` output (needed with the legacy backend; with iptables-nft the same rules appear in
/// `nft -j list ruleset`). Built-in chains become base chains with their hook; family is "ip" ("ip6" for ip6tables-save).
/// An MSS clamp (`-p tcp --tcp-flags SYN,RST SYN [-m tcpmss --mss A:B] -j TCPMSS ...`) reads as tcpflags syn, mss A:B, verdict tcpmss;
/// `-j NETMAP --to P` as verdict netmap mapping to P, `-j DNAT --to-destination A` and `-j SNAT --to-source A` as dnat/snat to A.
/// A line it cannot read is a <see cref="FormatException"/> naming the line. <c>legacy</c>: the output of
/// `iptables-legacy-save`, whose tables are not nftables' (see <see cref="NetfilterChain.Legacy"/>).
/// </summary>
public static class IptablesSave
{
    private static readonly Dictionary<string, string> OptionKeys = new()
    {
        ["-i"] = "iifname", ["--in-interface"] = "iifname",
        ["-o"] = "oifname", ["--out-interface"] = "oifname",
        ["-s"] = "saddr", ["--source"] = "saddr",
        ["-d"] = "daddr", ["--destination"] = "daddr",
        ["-p"] = "l4proto", ["--protocol"] = "l4proto",
        ["--dport"] = "dport", ["--destination-port"] = "dport",
        ["--ctstate"] = "ctstate", ["--state"] = "ctstate",
        ["--mss"] = "mss",
        ["--icmp-type"] = "icmptype", ["--icmpv6-type"] = "icmptype",
        ["--dst-type"] = "dsttype",
    };

    /// <summary>The address types of `-m addrtype --dst-type` the evaluator judges.</summary>
    private static readonly HashSet<string> DestinationTypes = ["local", "unicast", "multicast", "broadcast"];

    private static readonly HashSet<string> Harmless = ["-m", "--match", "--comment", "--to-ports", "--to-source", "--to-destination", "--random", "--reject-with", "--set-mss"];

    /// <summary>Target options without a value (they may end the line).</summary>
    private static readonly HashSet<string> Flags = ["--clamp-mss-to-pmtu", "--random", "--random-fully"];

    public static NetfilterRuleset Parse(string text, string family = "ip", bool legacy = false)
    {
        var chains = new List<NetfilterChain>();
        var rules = new List<NetfilterRule>();
        var table = "";
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (line.StartsWith(':'))
            {
                var parts = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2)
                {
                    throw new FormatException($"iptables-save line {lineNumber}: a chain line without a name and a policy (\":CHAIN POLICY\")");
                }
                var builtin = parts[1] != "-";
                chains.Add(new NetfilterChain(family, table, parts[0], builtin ? parts[0].ToLowerInvariant() : null,
                    builtin ? (table == "nat" ? "nat" : "filter") : null, builtin ? parts[1].ToLowerInvariant() : "accept", legacy));
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                rules.Add(ParseRule(family, table, line, lineNumber, legacy));
            }
        }
        return new NetfilterRuleset(chains, rules);
    }

    private static NetfilterRule ParseRule(string family, string table, string line, int lineNumber, bool legacy)
    {
        var tokens = Tokenize(line);
        if (tokens.Count < 2)
        {
            throw new FormatException($"iptables-save line {lineNumber}: -A without a chain");
        }
        var chain = tokens[1];
        var matches = new Dictionary<string, string>();
        var verdict = "";
        string? mapsTo = null;
        var unknown = false;
        var negate = false;
        for (var i = 2; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token == "!")
            {
                negate = true;
                continue;
            }
            if (Flags.Contains(token))
            {
                continue;
            }
            if (i + 1 >= tokens.Count && token.StartsWith('-'))
            {
                throw new FormatException($"iptables-save line {lineNumber}: option {token} without a value");
            }
            if (token is "-j" or "--jump" or "-g" or "--goto")
            {
                var target = tokens[++i];
                verdict = target switch
                {
                    "ACCEPT" or "DROP" or "REJECT" or "MASQUERADE" or "SNAT" or "DNAT" or "RETURN" or "TCPMSS" or "NETMAP" => target.ToLowerInvariant(),
                    _ when NonTerminatingTargets.Contains(target) => "",
                    _ when token is "-g" or "--goto" => "goto:" + target,
                    _ => "jump:" + target,
                };
            }
            else if ((token, verdict) is ("--to", "netmap") or ("--to-destination", "dnat") or ("--to-source", "snat"))
            {
                mapsTo = tokens[++i];
            }
            else if (token == "--tcp-flags" && i + 2 < tokens.Count && !negate)
            {
                // `--tcp-flags SYN,RST SYN`: a connection's first packet, as the doctor imagines new TCP
                var (mask, set) = (tokens[++i], tokens[++i]);
                if (mask.Split(',').Order().SequenceEqual(["RST", "SYN"]) && set == "SYN")
                {
                    matches["tcpflags"] = "syn";
                }
                else
                {
                    unknown = true;
                }
            }
            else if (OptionKeys.TryGetValue(token, out var key))
            {
                var value = tokens[++i].ToLowerInvariant();
                if ((negate && key is not ("iifname" or "oifname")) || (key == "dsttype" && !value.Split(',').All(DestinationTypes.Contains)))
                {
                    unknown = true;
                }
                else
                {
                    matches[negate ? "!" + key : key] = value;
                }
            }
            else if (Harmless.Contains(token))
            {
                if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-'))
                {
                    i++;
                }
            }
            else if (token.StartsWith('-'))
            {
                unknown = true;
                while (i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-') && tokens[i + 1] != "!")
                {
                    i++;
                }
            }
            negate = false;
        }
        var tool = (family == IpFamily.V6.Nft ? IpFamily.V6 : IpFamily.V4).IptablesOf(legacy);
        return new NetfilterRule(family, table, chain, matches, verdict, unknown, $"{tool} -t {table} {line}", mapsTo, legacy);
    }

    private static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }
        return tokens;
    }
}
