using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;

namespace Sitewire.Tunnel;

/// <summary>
/// A WireGuard interface: one private key, one UDP bind, one TUN device, its peers.
/// Contract used by the UAPI server and the daemon (the engine fills in the protocol):
/// construct, <see cref="Apply"/> configuration (atomic: all or nothing), <see cref="Start"/>
/// the I/O loops, read <see cref="GetState"/>, and <see cref="Dispose"/> to stop.
/// </summary>
public sealed partial class Device : IDisposable
{
    private readonly ITun _tun;
    private readonly IBind _bind;
    private readonly DeviceOptions _options;

    public Device(ITun tun, IBind bind, DeviceOptions options)
    {
        _tun = tun;
        _bind = bind;
        _options = options;
    }

    /// <summary>Completes when the TUN device is closed or deleted.</summary>
    public Task Closed => _tun.Closed;

    /// <summary>Starts reading the TUN device and the UDP bind.</summary>
    public void Start() => throw new NotImplementedException();

    /// <summary>Applies a whole UAPI set request, or nothing: throws <see cref="ConfigurationException"/> and changes nothing.</summary>
    public void Apply(DeviceUpdate update) => throw new NotImplementedException(_options.Timings.ToString() + update);

    public DeviceState GetState() => throw new NotImplementedException();

    public void Dispose()
    {
        _bind.Dispose();
        _tun.Dispose();
    }
}
