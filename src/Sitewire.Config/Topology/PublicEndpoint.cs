namespace Sitewire.Config.Topology;

/// <summary>The address peers dial to reach a node: a host name or an IP literal, and a UDP port.</summary>
public sealed record PublicEndpoint(string Host, int Port)
{
    /// <summary>The wg-quick form: <c>host:port</c>, IPv6 literals in brackets.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
