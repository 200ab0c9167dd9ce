namespace Sitewire.Config.Topology;

/// <summary>
/// <c>relay</c>: a node with a public endpoint that forwards between others;
/// <c>site</c>: a gateway with a LAN behind it; <c>client</c>: a road-warrior device (laptop, phone).
/// </summary>
public enum NodeRole
{
    Relay,
    Site,
    Client,
}
