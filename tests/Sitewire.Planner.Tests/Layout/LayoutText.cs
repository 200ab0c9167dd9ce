using Sitewire.Planner.Layout;

namespace Sitewire.Planner.Tests.Layout;

/// <summary>A layout written out whole, one fact a line, so two layouts compare as values.</summary>
internal static class LayoutText
{
    public static string Of(NetworkLayout layout) =>
        string.Join('\n',
        [
            .. layout.Hosts.SelectMany(h => new[] { $"host {h.Name} {h.Role} forwarding={h.Forwarding} firewall={h.Firewall} uplink={h.Uplink}" }
                .Concat(h.Interfaces.Select(i => $"  {i.Name} on {i.Segment}: {string.Join(", ", i.Addresses)}"))
                .Concat(h.Routes.Select(r => $"  route {r}{(r.Uplink ? " (uplink)" : "")}"))
                .Concat(h.Nat is { } nat ? [$"  nat out {nat.OutInterface} {nat.PublicAddress}", .. nat.Forwards.Select(f => $"  forward {f.PublicPort} to {f.To}:{f.ToPort}")] : [])),
            .. layout.Segments.Select(s => $"segment {s.Name} {s.Kind}"),
            $"internet {layout.Internet.Segment} gateway {layout.Internet.Gateway}",
            .. layout.Internet.Attachments.Select(a => $"  {a.Host}:{a.Interface} on {a.Segment}: {string.Join(", ", a.Addresses)}"),
            .. layout.Names.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"name {n.Key} {n.Value}"),
        ]);
}
