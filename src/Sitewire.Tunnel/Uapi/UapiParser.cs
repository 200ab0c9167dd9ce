using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Sitewire.Crypto;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// Parses the body of a UAPI <c>set=1</c> request (https://www.wireguard.com/xplatform/): device keys
/// first, then one section per <c>public_key</c>, added one line at a time as they arrive. The whole request
/// is validated before anything is applied. Errors follow wireguard-go: a line without '=' is EPROTO, anything
/// else invalid is EINVAL (an IPv6 zone in an allowed_ip or endpoint too: netip.ParsePrefix refuses zones, and a
/// zone that named no interface was silently dropped); messages name the line, the key (escaped) and the peer,
/// never a value.
/// </summary>
public sealed class UapiParser
{
    private PeerUpdate? _peer;
    private int _lineNumber;

    public int LineCount => _lineNumber;

    /// <summary>What the lines added so far ask for.</summary>
    public DeviceUpdate Update { get; } = new();

    /// <summary>Parses a whole request body ('\n'-separated lines, optionally ending with a blank line).</summary>
    public static DeviceUpdate Parse(string body)
    {
        var parser = new UapiParser();
        var lines = body.TrimEnd('\n');
        if (lines.Length > 0)
        {
            foreach (var line in lines.Split('\n'))
            {
                parser.Add(line);
            }
        }
        return parser.Update;
    }

    /// <summary>Parses the next line of the request (without its '\n'); throws <see cref="ConfigurationException"/>.</summary>
    public void Add(string rawLine)
    {
        ArgumentNullException.ThrowIfNull(rawLine);
        _lineNumber++;
        var separator = rawLine.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new ConfigurationException(Errnos.EPROTO, $"line {_lineNumber}: expected key=value");
        }
        var line = new Line(_lineNumber, rawLine[..separator], rawLine[(separator + 1)..], _peer);
        if (line.Key == "public_key")
        {
            _peer = new PeerUpdate(ParseKey(line));
            Update.Peers.Add(_peer);
        }
        else if (_peer is null)
        {
            ApplyDeviceLine(Update, line);
        }
        else
        {
            ApplyPeerLine(_peer, line);
        }
    }

    private static void ApplyDeviceLine(DeviceUpdate update, Line line)
    {
        switch (line.Key)
        {
            case "private_key":
                update.PrivateKey = ParseKey(line);
                break;
            case "listen_port":
                update.ListenPort = ParseNumber<ushort>(line);
                break;
            case "fwmark":
                update.FirewallMark = ParseNumber<uint>(line);
                break;
            case "replace_peers":
                update.ReplacePeers = ParseTrue(line);
                break;
            default:
                throw line.Invalid(IsPeerKey(line.Key) ? "is a peer key and must follow a public_key line" : "is not a device key");
        }
    }

    private static void ApplyPeerLine(PeerUpdate peer, Line line)
    {
        switch (line.Key)
        {
            case "remove":
                peer.Remove = ParseTrue(line);
                break;
            case "update_only":
                peer.UpdateOnly = ParseTrue(line);
                break;
            case "preshared_key":
                peer.PresharedKey = ParseKey(line);
                break;
            case "endpoint":
                peer.Endpoint = ParseEndpoint(line);
                break;
            case "persistent_keepalive_interval":
                peer.PersistentKeepaliveInterval = ParseNumber<ushort>(line);
                break;
            case "replace_allowed_ips":
                peer.ReplaceAllowedIps = ParseTrue(line);
                break;
            case "allowed_ip":
                peer.AllowedIps.Add(ParseAllowedIp(line));
                break;
            case "protocol_version":
                if (line.Value != "1")
                {
                    throw line.Invalid("must be 1 (the only WireGuard protocol version)");
                }
                break;
            default:
                throw line.Invalid(IsDeviceKey(line.Key) ? "is a device key and must come before the first public_key" : "is not a peer key");
        }
    }

    private static bool IsPeerKey(string key) => key is "remove" or "update_only" or "preshared_key" or "endpoint"
        or "persistent_keepalive_interval" or "replace_allowed_ips" or "allowed_ip" or "protocol_version";

    private static bool IsDeviceKey(string key) => key is "private_key" or "listen_port" or "fwmark" or "replace_peers";

    private static Key ParseKey(Line line) =>
        Key.TryParseHex(line.Value, out var key) ? key : throw line.Invalid("must be 64 hexadecimal digits (32 bytes)");

    private static T ParseNumber<T>(Line line)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (line.Value.Length is 0 or > 10 || !line.Value.All(char.IsAsciiDigit)
            || !T.TryParse(line.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw line.Invalid($"must be a decimal number from 0 to {T.MaxValue}");
        }
        return number;
    }

    private static bool ParseTrue(Line line) =>
        line.Value == "true" ? true : throw line.Invalid("can only be \"true\"");

    private static Endpoint ParseEndpoint(Line line)
    {
        var value = line.Value;
        var portSeparator = value.LastIndexOf(':');
        if (portSeparator <= 0)
        {
            throw line.Invalid("must be address:port (IPv4) or [address]:port (IPv6)");
        }
        var host = value[..portSeparator];
        var port = value[(portSeparator + 1)..];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }
        if (host.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(host, out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6) != bracketed
            || (address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3)
            || port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit)
            || !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber))
        {
            throw line.Invalid("must be a.b.c.d:port or [IPv6 address]:port with a port from 0 to 65535");
        }
        return Endpoint.FromIPEndPoint(new IPEndPoint(address, portNumber));
    }

    private static AllowedIpChange ParseAllowedIp(Line line)
    {
        var remove = line.Value.StartsWith('-');
        var text = remove ? line.Value[1..] : line.Value;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text[..slash], out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && text[..slash].Count(c => c == '.') != 3))
        {
            throw line.Invalid("must be an address/prefix-length without a zone, optionally prefixed with '-' to remove it");
        }
        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var lengthText = text[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit)
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > maximum)
        {
            throw line.Invalid($"has a prefix length outside 0..{maximum}");
        }
        return new AllowedIpChange(new IPNetwork(Mask(address, length), length), remove);
    }

    private static IPAddress Mask(IPAddress address, int length)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        for (var bit = length; bit < written * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }

    private readonly record struct Line(int Number, string Key, string Value, PeerUpdate? Peer)
    {
        public ConfigurationException Invalid(string problem)
        {
            var where = Peer is null ? "" : $" (peer {Peer.PublicKey.ToBase64()})";
            return new ConfigurationException(Errnos.EINVAL, $"line {Number}{where}: {UapiLogText.Name(Key)} {problem}");
        }
    }
}
