namespace Sitewire.Planner.Model;

/// <summary>A note for a trace written only when it is read (<see cref="HopNotes"/>): it keeps the values it is written from.</summary>
public abstract class DeferredNote
{
    public abstract string Write();
}
