using Sitewire.Tunnel.Configuration;

namespace Sitewire.Tunnel.Uapi;

/// <summary>What the UAPI server needs from a device: apply a whole <c>set</c> request atomically, report <c>get</c>.</summary>
public interface IConfigurable
{
    /// <summary>Applies all of <paramref name="update"/> or nothing; throws <see cref="ConfigurationException"/> on refusal.</summary>
    void Apply(DeviceUpdate update);

    DeviceState GetState();
}
