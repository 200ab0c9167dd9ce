namespace Sitewire.Planner.Model;

/// <summary>
/// What a host decided about a packet, in words for traces, written only when read: verify walks every flow but shows the
/// hops of few, and the words (rule texts, routes, peers) cost more than the walk. A deferred note keeps the values it is
/// written from (a state and a static writer), so it holds no more than it needs while the report lives.
/// </summary>
public sealed class HopNotes
{
    private readonly List<object> _notes = [];
    private string? _text;

    public HopNotes Add(string note)
    {
        _notes.Add(note);
        return this;
    }

    public HopNotes Add<TState>(TState state, Func<TState, string> write) => Add(new Deferred<TState>(state, write));

    public HopNotes Add(DeferredNote note)
    {
        _notes.Add(note);
        return this;
    }

    /// <summary>The notes in the order they were taken, joined by "; ".</summary>
    public string Text => _text ??= string.Join("; ", _notes.Select(note => note as string ?? ((DeferredNote)note).Write()));

    public override string ToString() => Text;

    private sealed class Deferred<TState>(TState state, Func<TState, string> write) : DeferredNote
    {
        public override string Write() => write(state);
    }
}
