namespace Sitewire.Planner.Model;

/// <summary>
/// The NAT translations made on a flow's way out (masquerade, prefix maps), one entry per host from the packet as it
/// arrived to the packet as it left, so its reply is translated back on the same hosts.
/// </summary>
internal sealed class Conntrack
{
    private readonly List<(Host Host, Packet Original, Packet Translated)> _entries = [];

    /// <summary>Records a translation; a second one on the same host (a prefix map in, a masquerade out) extends the host's entry.</summary>
    public void Record(Host host, Packet original, Packet translated)
    {
        var index = _entries.FindIndex(e => e.Host == host && e.Translated == original);
        if (index >= 0)
        {
            _entries[index] = (host, _entries[index].Original, translated);
            return;
        }
        _entries.Add((host, original, translated));
    }

    /// <summary>The reply packet with its addresses restored, when this host translated the request.</summary>
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
