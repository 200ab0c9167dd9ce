using System.Net;
using System.Net.NetworkInformation;

namespace Sitewire.Host.Failover;

/// <summary>An ICMP echo to the relay's overlay address: its /32 is the relay's own peer entry, so the echo takes that tunnel.</summary>
public sealed class PingRelayProbe : IRelayProbe
{
    public async Task<bool> AnswersAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellation)
    {
        using var ping = new Ping();
        try
        {
            var reply = await ping.SendPingAsync(address, timeout, cancellationToken: cancellation).ConfigureAwait(false);
            return reply.Status == IPStatus.Success;
        }
        catch (PingException)
        {
            return false;
        }
    }
}
