using System.Globalization;
using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Import;

/// <summary>
/// Reads what one part of a hook line does (<see cref="HookMeaning"/>): iptables/ip6tables, nft and firewall-cmd
/// commands that masquerade, drop, map a LAN subnet 1:1 (NETMAP), open what plan opens, or tear those down; forwarding sysctls; the node-local key.
/// An accept counts as planned only when plan writes its like: forwarding between two named interfaces, the UDP port,
/// established/related, the MSS clamp of forwarded SYNs (TCPMSS, nft `maxseg size set`); a broader one (<c>-i wg0 -j ACCEPT</c>, which also lets a full tunnel out) is kept.
/// The idempotent forms plan writes (<c>X -C rule || X -I rule</c>, <c>X -D rule || true</c>) read as their second or
/// first command. Anything else, or a rule with a match this reader does not know, is <see cref="HookMeaningKind.Unknown"/>:
/// import keeps such a part verbatim rather than guess.
/// </summary>
internal static class HookReader
{
    private static readonly HashSet<string> ForwardingSysctls = ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.conf.all.forwarding=1"];

    /// <param name="tunnel">The tunnel interface (what <c>%i</c> stands for).</param>
    public static IReadOnlyList<HookMeaning> Read(HookSegment segment, string tunnel)
    {
        if (segment.Words is not { } words)
        {
            return [HookMeaning.Unknown];
        }
        var commands = new List<List<string>> { new() };
        var operators = new List<string>();
        foreach (var word in words)
        {
            if (word is "||" or "&&" or "|" or "&")
            {
                operators.Add(word);
                commands.Add([]);
            }
            else if (!IsRedirection(word))
            {
                commands[^1].Add(word);
            }
        }
        if (commands.Any(command => command.Count == 0))
        {
            return [HookMeaning.Unknown];
        }
        return (commands.Count, operators.FirstOrDefault()) switch
        {
            (1, _) => Command(commands[0], tunnel),
            (2, "||") when commands[1] is ["true"] or [":"] && IsTeardown(commands[0]) => Command(commands[0], tunnel),
            (2, "||") when IsCheck(commands[0]) => Command(commands[1], tunnel),
            _ => [HookMeaning.Unknown],
        };
    }

    private static bool IsRedirection(string word) =>
        word.StartsWith('>') || word.StartsWith("&>", StringComparison.Ordinal) || (word.Length > 1 && char.IsAsciiDigit(word[0]) && word[1] == '>');

    private static string Tool(List<string> command) => Path.GetFileName(command[0]) switch
    {
        "iptables" or "iptables-nft" or "iptables-legacy" => "iptables",
        "ip6tables" or "ip6tables-nft" or "ip6tables-legacy" => "ip6tables",
        var other => other,
    };

    private static bool IsCheck(List<string> command) =>
        (Tool(command) is "iptables" or "ip6tables" && command.Skip(1).Any(word => word is "-C" or "--check"))
        || (Tool(command) == "firewall-cmd" && command.Skip(1).Any(word => word.StartsWith("--query-", StringComparison.Ordinal)));

    private static bool IsTeardown(List<string> command) => Tool(command) switch
    {
        "iptables" or "ip6tables" => command.Skip(1).Any(word => word is "-D" or "--delete"),
        "nft" => command.Skip(1).Any(word => word.Contains("delete", StringComparison.Ordinal) || word.Contains("flush table", StringComparison.Ordinal)),
        "firewall-cmd" => command.Skip(1).Any(word => word.StartsWith("--remove-", StringComparison.Ordinal)),
        _ => false,
    };

    private static IReadOnlyList<HookMeaning> Command(List<string> command, string tunnel) => Tool(command) switch
    {
        "sysctl" => command.Skip(1).All(word => word is "-q" or "-w" || ForwardingSysctls.Contains(word.Replace(" ", "", StringComparison.Ordinal))) && command.Count > 1
            ? [HookMeaning.Planned]
            : [HookMeaning.Unknown],
        "wg" => command is [_, "set", var face, "private-key", _] && (face == "%i" || face == tunnel) ? [HookMeaning.Planned] : [HookMeaning.Unknown],
        "iptables" or "ip6tables" => [Iptables(command, tunnel)],
        "nft" => NftReader.Read(command, tunnel),
        "firewall-cmd" => [Firewalld(command)],
        _ => [HookMeaning.Unknown],
    };

    private static HookMeaning Iptables(List<string> command, string tunnel)
    {
        var v6 = Tool(command) == "ip6tables";
        string table = "filter", operation = "", chain = "", target = "";
        string? inInterface = null, outInterface = null, protocol = null;
        int? port = null;
        IPNetwork? source = null, destination = null, mapsTo = null;
        var tracked = false;
        for (var index = 1; index < command.Count; index++)
        {
            var word = command[index];
            string? Next() => ++index < command.Count ? command[index] : null;
            switch (word)
            {
                case "-t" or "--table":
                    table = Next() ?? "";
                    break;
                case "-A" or "--append" or "-I" or "--insert" or "-D" or "--delete" or "-C" or "--check":
                    operation = word.TrimStart('-')[..1].ToUpperInvariant();
                    chain = Next() ?? "";
                    if (index + 1 < command.Count && int.TryParse(command[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        if (operation != "I")
                        {
                            return HookMeaning.Unknown;
                        }
                        index++;
                    }
                    break;
                case "-i" or "--in-interface":
                    if ((inInterface = Interface(Next(), tunnel)) is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    break;
                case "-o" or "--out-interface":
                    if ((outInterface = Interface(Next(), tunnel)) is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    break;
                case "-p" or "--protocol":
                    protocol = Next();
                    break;
                case "--dport" or "--destination-port":
                    port = int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535 ? number : -1;
                    break;
                case "-s" or "--source":
                    source = Prefix(Next(), v6);
                    if (source is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    break;
                case "-d" or "--destination":
                    destination = Prefix(Next(), v6);
                    if (destination is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    break;
                case "-m" or "--match":
                    var module = Next();
                    tracked |= module is "conntrack" or "state";
                    if (module is not ("comment" or "tcp" or "udp" or "conntrack" or "state" or "tcpmss"))
                    {
                        return HookMeaning.Unknown;
                    }
                    break;
                case "--comment" or "--ctstate" or "--state" or "--mss" or "--set-mss" when table == "mangle" || word is not ("--mss" or "--set-mss"):
                    Next();
                    break;
                case "--tcp-flags" when table == "mangle":
                    Next();
                    Next();
                    break;
                case "--clamp-mss-to-pmtu" when table == "mangle":
                    break;
                case "-j" or "--jump":
                    target = Next() ?? "";
                    break;
                case "--to" when target == "NETMAP":
                    if ((mapsTo = Prefix(Next(), v6)) is null)
                    {
                        return HookMeaning.Unknown;
                    }
                    break;
                case "-w" or "--wait":
                    break;
                default:
                    return HookMeaning.Unknown;
            }
        }
        var teardown = operation == "D";
        if (operation.Length == 0 || port == -1 || (port is not null && protocol is not ("tcp" or "udp")))
        {
            return HookMeaning.Unknown;
        }
        return (table, chain, target) switch
        {
            ("nat", "POSTROUTING", "MASQUERADE") => new HookMeaning(HookMeaningKind.Masquerade, outInterface),
            ("mangle", "FORWARD", "TCPMSS") when source is null && destination is null => HookMeaning.Planned,
            ("nat", "PREROUTING" or "POSTROUTING", "NETMAP") => PrefixMap(chain == "PREROUTING", inInterface, outInterface, source, destination, mapsTo, tunnel),
            ("filter", "FORWARD" or "INPUT", "ACCEPT") when tracked || (source is null && destination is null && (chain == "FORWARD" ? port is null && inInterface is not null && outInterface is not null : protocol == "udp")) => HookMeaning.Planned,
            ("filter", "FORWARD" or "INPUT", "DROP") when !tracked && (chain == "FORWARD" || outInterface is null) && protocol is null or "tcp" or "udp" => teardown
                ? HookMeaning.Planned
                : new HookMeaning(HookMeaningKind.Drop, Drop: new DropRule(chain == "FORWARD" ? FilterChain.Forward : FilterChain.Input, inInterface, outInterface, ProtocolOf(protocol), port, source, destination)),
            _ => HookMeaning.Unknown,
        };
    }

    /// <summary>
    /// A 1:1 prefix translation at the tunnel, as plan writes it: the destination of what arrives on it (mapped → real),
    /// or the source of what leaves by it (real → mapped), nothing else matched; anything else is unknown.
    /// </summary>
    internal static HookMeaning PrefixMap(bool inbound, string? inInterface, string? outInterface, IPNetwork? source, IPNetwork? destination, IPNetwork? mapsTo, string tunnel)
    {
        var (matched, other, onTunnel, otherInterface) = inbound ? (destination, source, inInterface, outInterface) : (source, destination, outInterface, inInterface);
        if (mapsTo is not { } to || matched is not { } from || other is not null || otherInterface is not null || onTunnel != tunnel || from.PrefixLength != to.PrefixLength)
        {
            return HookMeaning.Unknown;
        }
        return new HookMeaning(HookMeaningKind.PrefixMap, Map: inbound ? (to, from) : (from, to));
    }

    private static HookMeaning Firewalld(List<string> command)
    {
        var masquerade = false;
        foreach (var word in command.Skip(1))
        {
            if (word is "--add-masquerade" or "--remove-masquerade")
            {
                masquerade = true;
            }
            else if (word is not ("-q" or "--quiet" or "--permanent" or "--add-forward" or "--remove-forward" or "--query-forward" or "--query-masquerade")
                && !word.StartsWith("--zone=", StringComparison.Ordinal)
                && !new[] { "--add-interface=", "--change-interface=", "--remove-interface=", "--add-port=", "--remove-port=" }.Any(prefix => word.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return HookMeaning.Unknown;
            }
        }
        return masquerade ? new HookMeaning(HookMeaningKind.Masquerade) : HookMeaning.Planned;
    }

    internal static string? Interface(string? word, string tunnel) =>
        word is null ? null : word == "%i" ? tunnel : TopologyValues.IsInterfaceName(word) ? word : null;

    internal static TransportProtocol? ProtocolOf(string? protocol) => protocol switch
    {
        "tcp" => TransportProtocol.Tcp,
        "udp" => TransportProtocol.Udp,
        _ => null,
    };

    /// <summary>A CIDR or bare address (a host prefix), of the tool's family; null when it is not one.</summary>
    internal static IPNetwork? Prefix(string? word, bool v6)
    {
        if (word is null)
        {
            return null;
        }
        IPNetwork? prefix = TopologyValues.ParseInterfaceAddress(word, out _) is { } cidr
            ? new IPNetwork(TopologyValues.Masked(cidr.Address, cidr.Length), cidr.Length)
            : TopologyValues.ParseAddress(word, out _) is { } address ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : null;
        return prefix is { } found && (found.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == v6 ? found : null;
    }
}
