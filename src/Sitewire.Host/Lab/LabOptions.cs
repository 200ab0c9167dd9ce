namespace Sitewire.Host.Lab;

/// <summary>How to run a lab: which WireGuard engine, whether to leave it running, how long a flow may take.</summary>
public sealed record LabOptions(LabEngineKind Engine, bool Keep = false)
{
    public TimeSpan FlowTimeout { get; init; } = TimeSpan.FromSeconds(6);
    public TimeSpan DeniedFlowTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
