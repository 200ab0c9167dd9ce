namespace Sitewire.Tunnel;

public sealed class DeviceOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ProtocolTimings Timings { get; init; } = ProtocolTimings.Default;

    /// <summary>Verbose log lines (LOG_LEVEL=verbose). Never receives key material.</summary>
    public Action<string>? LogVerbose { get; init; }

    /// <summary>Error log lines (LOG_LEVEL=verbose or error).</summary>
    public Action<string>? LogError { get; init; }

    /// <summary>Encryption/decryption worker threads; default one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
}
