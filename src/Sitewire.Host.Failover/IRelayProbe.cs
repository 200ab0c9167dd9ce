using System.Net;

namespace Sitewire.Host.Failover;

/// <summary>Asks whether a relay answers at its overlay address, through its own tunnel, within a time.</summary>
public interface IRelayProbe
{
    Task<bool> AnswersAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellation);
}
