namespace Sitewire.Host.Lab;

/// <summary>How to run a lab: which WireGuard engine, whether to leave it running, how long a flow may take.</summary>
public sealed record LabOptions(LabEngineKind Engine, bool Keep = false)
{
    /// <summary>
    /// Long enough for a flow whose first handshake initiation is lost (a peer still coming up, a loaded machine): WireGuard
    /// retries after REKEY_TIMEOUT (5 s) plus up to 1/3 s of jitter, and TCP retransmits its SYN meanwhile. Only a flow
    /// that does not get through waits this long.
    /// </summary>
    public TimeSpan FlowTimeout { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>For a flow verify predicts to be dropped on the way: nothing is expected back, so waiting longer proves nothing more.</summary>
    public TimeSpan DeniedFlowTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether RHEL-family nodes run firewalld (`--no-firewalld`: they start with an empty firewall instead).</summary>
    public bool Firewalld { get; init; } = true;
}
