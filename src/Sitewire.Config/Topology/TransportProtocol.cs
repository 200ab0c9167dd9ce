namespace Sitewire.Config.Topology;

public enum TransportProtocol
{
    Tcp,
    Udp,
    Icmp,
}
