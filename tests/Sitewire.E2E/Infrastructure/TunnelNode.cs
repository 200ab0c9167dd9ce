using System.Globalization;
using System.Net;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>One end of a test tunnel: its namespace, outer link, daemon, keys and addresses.</summary>
public sealed class TunnelNode
{
    public required NetworkNamespace Namespace { get; init; }

    public required WireGuardDaemon Daemon { get; init; }

    public required string OuterLink { get; init; }

    public required string PrivateKeyPath { get; init; }

    public required string PublicKey { get; init; }

    public required IPAddress OuterV4 { get; init; }

    public required IPAddress OuterV6 { get; init; }

    public required IPAddress InnerV4 { get; init; }

    public required IPAddress InnerV6 { get; init; }

    public int ListenPort { get; set; } = TunnelPair.ListenPort;

    public string InterfaceName => Daemon.InterfaceName;

    public IPAddress Outer(IpFamily family) => family == IpFamily.V4 ? OuterV4 : OuterV6;

    public IPAddress Inner(IpFamily family) => family == IpFamily.V4 ? InnerV4 : InnerV6;

    public string Endpoint(IpFamily family) => new IPEndPoint(Outer(family), ListenPort).ToString();

    public bool PingUntilReply(IPAddress destination, TimeSpan timeout, IPAddress? source = null) =>
        Pinger.UntilReply(Namespace, destination, timeout, source);

    public bool PingOnce(IPAddress destination, IPAddress? source = null) => Pinger.Once(Namespace, destination, source);

    /// <summary>Packets the daemon wrote into its TUN device (the kernel counts them as received on the interface).</summary>
    public long TunnelReceivedPackets() => LinkStatistic(InterfaceName, "rx_packets");

    public long LinkStatistic(string link, string counter) =>
        long.Parse(Namespace.Exec("cat", $"/sys/class/net/{link}/statistics/{counter}").EnsureSuccess().StandardOutput.Trim(),
            CultureInfo.InvariantCulture);

    /// <summary>`wg show IF dump` parsed for the single peer: endpoint, latest handshake (unix s), rx and tx bytes.</summary>
    public PeerStatus PeerStatus() => Infrastructure.PeerStatus.ParseDump(Daemon.Wg("show", InterfaceName, "dump"));
}
