using System.Globalization;

namespace Sitewire.E2E.Infrastructure;

/// <summary>A peer's line of `wg show IF dump`: public key, preshared key, endpoint, allowed ips, latest handshake, rx, tx, keepalive.</summary>
public sealed record PeerStatus(string PublicKey, string Endpoint, string AllowedIps, long LatestHandshake, long ReceivedBytes, long TransmittedBytes)
{
    public static PeerStatus ParseDump(string dump)
    {
        var lines = dump.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != 2)
        {
            throw new FormatException($"expected one interface line and one peer line in `wg show dump`, got:\n{dump}");
        }
        var fields = lines[1].Split('\t');
        if (fields.Length != 8)
        {
            throw new FormatException($"expected 8 fields in a peer line of `wg show dump`, got: {lines[1]}");
        }
        return new PeerStatus(fields[0], fields[2], fields[3], Number(fields[4]), Number(fields[5]), Number(fields[6]));
    }

    private static long Number(string field) => long.Parse(field, CultureInfo.InvariantCulture);
}
