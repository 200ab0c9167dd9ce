using Sitewire.Config.Topology;

namespace Sitewire.Planner.Model;

public enum Protocol
{
    Tcp,
    Udp,
    Icmp,
}

public static class ProtocolNames
{
    public static string Name(this Protocol protocol) => protocol switch
    {
        Protocol.Tcp => "tcp",
        Protocol.Udp => "udp",
        _ => "icmp",
    };

    /// <summary>The model's protocol of a topology's flow or service.</summary>
    public static Protocol FromTopology(TransportProtocol protocol) => protocol switch
    {
        TransportProtocol.Udp => Protocol.Udp,
        TransportProtocol.Icmp => Protocol.Icmp,
        _ => Protocol.Tcp,
    };

    public static TransportProtocol ToTopology(this Protocol protocol) => protocol switch
    {
        Protocol.Udp => TransportProtocol.Udp,
        Protocol.Icmp => TransportProtocol.Icmp,
        _ => TransportProtocol.Tcp,
    };

    public static bool TryParse(string text, out Protocol protocol)
    {
        switch (text.ToUpperInvariant())
        {
            case "TCP": protocol = Protocol.Tcp; return true;
            case "UDP": protocol = Protocol.Udp; return true;
            case "ICMP": protocol = Protocol.Icmp; return true;
            default: protocol = default; return false;
        }
    }
}
