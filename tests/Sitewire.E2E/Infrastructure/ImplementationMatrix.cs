namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Theory rows naming which daemon runs at which end. wireguard-go ↔ wireguard-go proves the harness;
/// the mixed rows prove interoperability; sitewired ↔ sitewired proves the engine against itself.
/// </summary>
public static class ImplementationMatrix
{
    private const string S = WireGuardImplementation.Sitewired;
    private const string G = WireGuardImplementation.WireGuardGo;

    /// <summary>(first end, second end): every ordered pair, the harness baseline first.</summary>
    public static TheoryData<string, string> Pairs => new()
    {
        { G, G },
        { S, G },
        { G, S },
        { S, S },
    };

    /// <summary>Every ordered pair of <see cref="Pairs"/>, once with IPv4 and once with IPv6 outer addresses.</summary>
    public static TheoryData<string, string, IpFamily> PairsByOuterFamily
    {
        get
        {
            var rows = new TheoryData<string, string, IpFamily>();
            foreach (var pair in Pairs)
            {
                rows.Add((string)pair[0], (string)pair[1], IpFamily.V4);
                rows.Add((string)pair[0], (string)pair[1], IpFamily.V6);
            }
            return rows;
        }
    }

    /// <summary>(end under test, its peer): the device under test against the reference peer.</summary>
    public static TheoryData<string, string> UnderTest => new()
    {
        { G, G },
        { S, G },
    };

    public static TheoryData<string> Single => new() { G, S };
}
