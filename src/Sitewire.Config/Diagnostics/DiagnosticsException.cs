namespace Sitewire.Config.Diagnostics;

/// <summary>Carries the diagnostics of an unusable input to the caller that reports them (exit code 2).</summary>
public sealed class DiagnosticsException : Exception
{
    public DiagnosticsException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public DiagnosticsException()
        : this([])
    {
    }

    public DiagnosticsException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    public DiagnosticsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
