namespace Sitewire.Text;

/// <summary>
/// The known name a mistyped one was most likely meant to be: the closest by edit distance (insertions, deletions,
/// substitutions and swaps of neighbours, case ignored) when it is within a third of the typed name's length (at least
/// one edit), the first in the given order on a tie; none when nothing is that close or the name is over 128 characters. A few lines instead of a
/// package: no maintained .NET library does only this.
/// </summary>
public static class DidYouMean
{
    /// <summary>Longer names are no typos of a name; this also bounds the quadratic distance.</summary>
    private const int MaxNameLength = 128;

    public static string? Closest(string typed, IEnumerable<string> known)
    {
        if (typed.Length > MaxNameLength)
        {
            return null;
        }
        string? best = null;
        var bestDistance = Math.Max(1, typed.Length / 3) + 1;
        foreach (var candidate in known.Where(candidate => candidate != typed && candidate.Length <= MaxNameLength))
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best;
    }

    /// <summary>"; did you mean 'NAME'?" for the closest known name, or "" when there is none.</summary>
    public static string Hint(string typed, IEnumerable<string> known) =>
        Closest(typed, known) is { } name ? $"; did you mean '{name}'?" : "";

    /// <summary>The optimal string alignment distance.</summary>
    private static int Distance(string a, string b)
    {
        var rows = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            rows[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            rows[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                rows[i, j] = Math.Min(Math.Min(rows[i - 1, j] + 1, rows[i, j - 1] + 1), rows[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    rows[i, j] = Math.Min(rows[i, j], rows[i - 2, j - 2] + 1);
                }
            }
        }
        return rows[a.Length, b.Length];
    }
}
