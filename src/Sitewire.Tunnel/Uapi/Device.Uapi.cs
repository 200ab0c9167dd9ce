using Sitewire.Tunnel.Uapi;

namespace Sitewire.Tunnel;

/// <summary>The device is what the UAPI server configures.</summary>
public sealed partial class Device : IConfigurable;
