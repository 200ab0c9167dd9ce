namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// One line a UAPI client sent, without its '\n'. <see cref="Terminated"/> is false for a last line the client
/// ended with end-of-stream instead.
/// </summary>
internal readonly record struct UapiLine(string Text, bool Terminated)
{
    /// <summary>The blank line that ends a request.</summary>
    public bool IsBlank => Terminated && Text.Length == 0;
}
