namespace Sitewire.Planner.Model;

/// <summary>POSTROUTING masquerade: packets leaving <see cref="OutInterface"/> (from <see cref="Source"/> when set) get the interface's address as source.</summary>
public sealed record MasqueradeRule(string OutInterface, Prefix? Source = null)
{
    public bool Matches(string outInterface, Address source) =>
        string.Equals(outInterface, OutInterface, StringComparison.Ordinal) && (Source is not { } prefix || prefix.Contains(source));
}
