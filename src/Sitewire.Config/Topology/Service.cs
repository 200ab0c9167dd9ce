namespace Sitewire.Config.Topology;

/// <summary>A service a LAN host offers, written <c>80/tcp</c> or <c>80/tcp/http</c> (application optional).</summary>
public sealed record Service(int Port, TransportProtocol Protocol, string? Application)
{
    public override string ToString() =>
        Application is null
            ? $"{Port}/{Protocol.ToString().ToLowerInvariant()}"
            : $"{Port}/{Protocol.ToString().ToLowerInvariant()}/{Application}";
}
