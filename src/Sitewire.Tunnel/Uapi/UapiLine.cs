namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// One line a UAPI client sent, without its '\n'. <see cref="Terminated"/> is false for a last line the client
/// ended with end-of-stream instead; <see cref="TooLong"/> says it exceeded <see cref="UapiServer.MaxLineBytes"/>,
/// and then <see cref="Text"/> is empty (the bytes were read and discarded, not kept).
/// </summary>
internal readonly record struct UapiLine(string Text, bool Terminated, bool TooLong)
{
    /// <summary>The blank line that ends a request.</summary>
    public bool IsBlank => Terminated && !TooLong && Text.Length == 0;
}
