using System.Globalization;
using System.Text;

namespace Sitewire.Config.Failover;

/// <summary>Writes <see cref="FailoverSettings"/> as the YAML <see cref="FailoverConfigLoader"/> reads, every field spelled out.</summary>
public static class FailoverConfigWriter
{
    public static string Write(FailoverSettings settings, IEnumerable<string> headerComments)
    {
        var text = new StringBuilder();
        foreach (var comment in headerComments)
        {
            text.Append("# ").Append(comment).Append('\n');
        }
        var timings = settings.Timings;
        text.Append(CultureInfo.InvariantCulture, $"interface: {settings.Interface}\n");
        text.Append("carried: [").AppendJoin(", ", settings.Carried.Select(Quoted)).Append("]   # the prefixes the active relay's peer holds\n");
        text.Append(CultureInfo.InvariantCulture, $"probe_interval_ms: {(int)timings.ProbeInterval.TotalMilliseconds}\n");
        text.Append(CultureInfo.InvariantCulture, $"fail_after: {timings.FailAfter}   # unanswered probes in a row that make a relay down\n");
        text.Append(CultureInfo.InvariantCulture, $"hold_down_s: {(int)timings.HoldDown.TotalSeconds}   # seconds a down relay must answer every probe before it is used again\n");
        text.Append(CultureInfo.InvariantCulture, $"state_file: {settings.StateFile}\n");
        text.Append("relays:   # in order of preference\n");
        foreach (var relay in settings.Relays)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - name: {relay.Name}\n");
            text.Append(CultureInfo.InvariantCulture, $"    public_key: \"{relay.PublicKey.ToBase64()}\"\n");
            text.Append(CultureInfo.InvariantCulture, $"    probe: {relay.Probe}\n");
            text.Append("    own: [").AppendJoin(", ", relay.Own.Select(Quoted)).Append("]\n");
        }
        return text.ToString();
    }

    /// <summary>A prefix quoted: an IPv6 prefix's colons would otherwise be read as YAML syntax inside a flow list.</summary>
    private static string Quoted(System.Net.IPNetwork prefix) => $"\"{prefix}\"";
}
