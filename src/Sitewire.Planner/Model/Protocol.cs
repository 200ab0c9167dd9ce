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
