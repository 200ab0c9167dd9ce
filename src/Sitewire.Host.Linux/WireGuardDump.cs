using System.Globalization;

namespace Sitewire.Host.Linux;

/// <summary>A WireGuard interface as `wg show all dump` reports it (the private key is never kept).</summary>
public sealed record WireGuardInterfaceState(string Name, string PublicKey, int ListenPort, string Fwmark, IReadOnlyList<WireGuardPeerState> Peers);

/// <summary>A peer line of `wg show all dump`. <see cref="LatestHandshake"/> is null when there was none.</summary>
public sealed record WireGuardPeerState(
    string PublicKey,
    bool HasPresharedKey,
    string? Endpoint,
    IReadOnlyList<string> AllowedIps,
    DateTimeOffset? LatestHandshake,
    long ReceiveBytes,
    long TransmitBytes,
    int? PersistentKeepalive);

/// <summary>
/// Parses `wg show all dump`: tab-separated; an interface line has 5 fields (name, private key, public key,
/// listen port, fwmark), a peer line 9 (name, public key, preshared key, endpoint, allowed ips, latest handshake,
/// rx, tx, persistent keepalive); "(none)" and "off" mean unset.
/// </summary>
public static class WireGuardDump
{
    public static IReadOnlyList<WireGuardInterfaceState> Parse(string dump)
    {
        var interfaces = new List<(string Name, string PublicKey, int Port, string Fwmark, List<WireGuardPeerState> Peers)>();
        var lineNumber = 0;
        foreach (var line in dump.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split('\t');
            switch (fields.Length)
            {
                case 5:
                    interfaces.Add((fields[0], fields[2], int.Parse(fields[3], CultureInfo.InvariantCulture), fields[4], []));
                    break;
                case 9:
                    var owner = interfaces.LastOrDefault(i => i.Name == fields[0]);
                    if (owner.Peers is null)
                    {
                        throw new FormatException($"wg dump line {lineNumber}: peer of interface '{fields[0]}' before its interface line");
                    }
                    owner.Peers.Add(ParsePeer(fields, lineNumber));
                    break;
                default:
                    throw new FormatException($"wg dump line {lineNumber}: {fields.Length} fields (expected 5 for an interface, 9 for a peer)");
            }
        }
        return [.. interfaces.Select(i => new WireGuardInterfaceState(i.Name, i.PublicKey, i.Port, i.Fwmark, i.Peers))];
    }

    private static WireGuardPeerState ParsePeer(string[] fields, int lineNumber)
    {
        try
        {
            var handshake = long.Parse(fields[5], CultureInfo.InvariantCulture);
            return new WireGuardPeerState(
                fields[1],
                fields[2] != "(none)",
                fields[3] == "(none)" ? null : fields[3],
                fields[4] == "(none)" ? [] : fields[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                handshake == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(handshake),
                long.Parse(fields[6], CultureInfo.InvariantCulture),
                long.Parse(fields[7], CultureInfo.InvariantCulture),
                fields[8] == "off" ? null : int.Parse(fields[8], CultureInfo.InvariantCulture));
        }
        catch (FormatException exception)
        {
            throw new FormatException($"wg dump line {lineNumber}: {exception.Message}", exception);
        }
    }
}
