using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sitewire.Config.Topology;

/// <summary>Parsers for the text forms the topology file uses; each returns null and an explanation on bad input.</summary>
public static class TopologyValues
{
    public static IPNetwork? ParsePrefix(string text, out string? error)
    {
        error = null;
        if (!TrySplitAddressAndLength(text, out var address, out var length))
        {
            error = $"'{text}' is not a CIDR prefix";
            return null;
        }
        var canonical = new IPNetwork(Masked(address, length), length);
        if (!IPNetwork.TryParse(text, out var network) || !network.BaseAddress.Equals(address))
        {
            error = $"'{text}' has host bits set; did you mean {canonical}?";
            return null;
        }
        return network;
    }

    public static IPAddress? ParseAddress(string text, out string? error)
    {
        error = null;
        if (!TryParseLiteral(text, out var address))
        {
            error = $"'{text}' is not an IP address";
            return null;
        }
        return address;
    }

    /// <summary>An interface address with its prefix length, <c>172.18.3.16/24</c>.</summary>
    public static (IPAddress Address, int Length)? ParseInterfaceAddress(string text, out string? error)
    {
        error = null;
        if (!TrySplitAddressAndLength(text, out var address, out var length))
        {
            error = $"'{text}' is not an address with prefix length";
            return null;
        }
        return (address, length);
    }

    /// <summary><c>ADDRESS/LEN</c> with a literal address and a length its family allows.</summary>
    private static bool TrySplitAddressAndLength(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address, out int length)
    {
        length = 0;
        address = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && TryParseLiteral(text[..slash], out address)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length)
            && length <= (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary><c>host:port</c>, <c>[v6]:port</c>, or a bare host (port = <paramref name="defaultPort"/>).</summary>
    public static PublicEndpoint? ParseEndpoint(string text, int defaultPort, out string? error)
    {
        error = null;
        string host;
        var port = defaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}' has no closing bracket";
                return null;
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port)))
            {
                error = $"'{text}' has an invalid port";
                return null;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            if (!TryPort(text[(colon + 1)..], out port))
            {
                error = $"'{text}' has an invalid port";
                return null;
            }
        }
        else
        {
            host = text;
        }
        if (!IsHost(host))
        {
            error = $"'{text}' has no valid host: a DNS name or an IP address";
            return null;
        }
        return new PublicEndpoint(host, port);
    }

    /// <summary>
    /// An interface name Linux accepts and every tool takes unquoted: 1 to 15 of <c>a-z A-Z 0-9 _ = + . -</c>, not
    /// <c>.</c> or <c>..</c> (the kernel also takes other bytes; names like that are not accepted here).
    /// </summary>
    public static bool IsInterfaceName(string? text) =>
        text is { Length: >= 1 and <= 15 } && text is not "." and not ".."
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '=' or '+' or '.' or '-');

    public const string InterfaceNameGrammar = "1 to 15 characters of a-z A-Z 0-9 _ = + . - (not . or ..)";

    /// <summary>
    /// An IPv4 address in dotted-quad form, an IPv6 address without zone, or a DNS name: dot-separated labels of 1 to
    /// 63 letters, digits, '-' and '_', none starting or ending with '-', the last not all digits, 253 characters at
    /// most, a final dot allowed.
    /// </summary>
    public static bool IsHost(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TryParseLiteral(text, out _);
        }
        var name = text.EndsWith('.') ? text[..^1] : text;
        var labels = name.Split('.');
        if (labels.All(label => label.Length > 0 && label.All(char.IsAsciiDigit)))
        {
            return TryParseLiteral(name, out _);
        }
        return name.Length is >= 1 and <= 253
            && labels.All(label => label.Length is >= 1 and <= 63 && label[0] != '-' && label[^1] != '-'
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>
    /// An address as the file writes one: IPv4 in dotted-quad form (four decimal numbers, no leading zeros), or IPv6 without
    /// brackets, port or zone. <see cref="IPAddress.TryParse(string, out IPAddress)"/> alone also takes "51820" (0.0.202.108)
    /// and "[fd00::1]:51820".
    /// </summary>
    public static bool TryParseLiteral(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return text.AsSpan().IndexOfAny('[', ']', '%') < 0 && !text.Contains('/', StringComparison.Ordinal)
                && IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }
        return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork && address.ToString() == text;
    }

    /// <summary><c>PORT/PROTO</c> or <c>PORT/PROTO/APP</c>.</summary>
    public static Service? ParseService(string text, out string? error)
    {
        error = null;
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || !TryPort(parts[0], out var port) || ParseProtocol(parts[1]) is not { } protocol || protocol == TransportProtocol.Icmp)
        {
            error = $"'{text}' is not a service";
            return null;
        }
        return new Service(port, protocol, parts.Length == 3 && parts[2].Length > 0 ? parts[2] : null);
    }

    public static TransportProtocol? ParseProtocol(string text) => text switch
    {
        "tcp" => TransportProtocol.Tcp,
        "udp" => TransportProtocol.Udp,
        "icmp" => TransportProtocol.Icmp,
        _ => null,
    };

    /// <summary>Splits <c>NAME-OR-ADDRESS[:PORT[/PROTO]]</c>; the protocol defaults to tcp with a port, icmp without.</summary>
    public static (string Target, int? Port, TransportProtocol Protocol)? ParseFlowTarget(string text, out string? error)
    {
        error = null;
        var target = text;
        int? port = null;
        var protocol = TransportProtocol.Icmp;
        var lastColon = text.LastIndexOf(':');
        var isBareV6 = text.Count(c => c == ':') > 1 && !text.StartsWith('[');
        if (lastColon > 0 && !isBareV6)
        {
            target = text[..lastColon].Trim('[', ']');
            var portText = text[(lastColon + 1)..];
            protocol = TransportProtocol.Tcp;
            var slash = portText.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (ParseProtocol(portText[(slash + 1)..]) is not { } parsed)
                {
                    error = $"'{text}' has an unknown protocol";
                    return null;
                }
                protocol = parsed;
                portText = portText[..slash];
            }
            if (!TryPort(portText, out var parsedPort))
            {
                error = $"'{text}' has an invalid port";
                return null;
            }
            port = parsedPort;
        }
        if (target.Length == 0)
        {
            error = $"'{text}' names no target";
            return null;
        }
        return (target, port, protocol);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    /// <summary>The address with every bit after the first <paramref name="length"/> cleared.</summary>
    public static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }
}
