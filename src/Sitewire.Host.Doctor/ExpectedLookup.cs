using Sitewire.Planner.Expected;

namespace Sitewire.Host.Doctor;

/// <summary>
/// What the doctor compares one interface with: the plan's <see cref="State"/> and where it came from (<see cref="Source"/>:
/// a file, or the topology and node), or, with <see cref="State"/> null, the file it looked for and did not find.
/// </summary>
public sealed record ExpectedLookup(ExpectedState? State, string Source)
{
    public static ExpectedLookup Found(ExpectedState state, string source) => new(state, source);

    public static ExpectedLookup Missing(string searched) => new(null, searched);
}
