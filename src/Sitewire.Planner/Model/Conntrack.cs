namespace Sitewire.Planner.Model;

/// <summary>The NAT translations made on a flow's way out, so its reply is translated back on the same hosts.</summary>
internal sealed class Conntrack
{
    private readonly List<(Host Host, Packet Original, Packet Translated)> _entries = [];

    public void Record(Host host, Packet original, Packet translated) => _entries.Add((host, original, translated));

    /// <summary>The reply packet with its destination restored, when this host translated the request.</summary>
    public bool TryReverse(Host host, Packet reply, out Packet restored)
    {
        foreach (var (entryHost, original, translated) in _entries)
        {
            if (entryHost == host && translated.Reversed() == reply)
            {
                restored = original.Reversed();
                return true;
            }
        }
        restored = reply;
        return false;
    }

    /// <summary>Did this host masquerade the request on its way out of this interface?</summary>
    public bool Masqueraded(Host host) => _entries.Exists(e => e.Host == host);
}
