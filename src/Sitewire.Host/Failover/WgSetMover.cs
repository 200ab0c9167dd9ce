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
        var active = settings.Relays[relayIndex];
        List<string> arguments = ["set", settings.Interface, "peer", active.PublicKey.ToBase64(), "allowed-ips", List([.. active.Own, .. settings.Carried.Where(prefix => !active.Own.Contains(prefix))])];
        foreach (var relay in settings.Relays.Where(relay => relay != active))
        {
            arguments.AddRange(["peer", relay.PublicKey.ToBase64(), "allowed-ips", List(relay.Own)]);
        }
        Shell.Run("wg", arguments).EnsureSuccess();
    }

    private static string List(IEnumerable<System.Net.IPNetwork> prefixes) => string.Join(',', prefixes);
}
