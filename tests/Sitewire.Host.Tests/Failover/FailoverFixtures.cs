using System.Net;
using Sitewire.Config.Failover;
using Sitewire.Crypto;

namespace Sitewire.Host.Tests.Failover;

internal static class FailoverFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    public static FailoverSettings TwoRelays(string stateFile = "/nonexistent/state.json") => new(
        "wg0",
        [IPNetwork.Parse("10.200.0.0/24"), IPNetwork.Parse("10.2.0.0/24")],
        [
            new FailoverRelay("relay-a", Key.GeneratePrivate().PublicKey(), IPAddress.Parse("10.200.0.254"), [IPNetwork.Parse("10.200.0.254/32")]),
            new FailoverRelay("relay-b", Key.GeneratePrivate().PublicKey(), IPAddress.Parse("10.200.0.253"), [IPNetwork.Parse("10.200.0.253/32")]),
        ],
        FailoverTimings.Default,
        stateFile);
}
