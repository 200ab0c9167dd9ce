using Sitewire.Config.Failover;
using Sitewire.Host.Processes;

namespace Sitewire.Host.Failover;

/// <summary>
/// Moves the carried prefixes with one `wg set` (kernel module, wireguard-go and sitewired alike): the new relay's peer
/// first, so assigning the prefixes takes them from the old peer in the same update, then every other relay's peer is
/// set to its own prefixes. Routes stay: every relay is a peer of the same interface.
/// </summary>
public sealed class WgSetMover(FailoverSettings settings) : IAllowedIpsMover
{
    public void MoveTo(int relayIndex)
    {
        List<string> arguments = ["set", settings.Interface];
        foreach (var index in Enumerable.Range(0, settings.Relays.Count).OrderBy(index => index != relayIndex))
        {
            arguments.AddRange(["peer", settings.Relays[index].PublicKey.ToBase64(), "allowed-ips", string.Join(',', settings.AllowedIpsOf(index, relayIndex))]);
        }
        Shell.Run("wg", arguments).EnsureSuccess();
    }
}
