using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;

namespace Sitewire.Planner.Import;

/// <summary>
/// A node's PostUp/PostDown read part by part (<see cref="HookReader"/>): the facts a topology holds (masquerade
/// interface, firewalld masquerade, drop rules, mapped subnets), and, given the lines plan would write for the imported design, the parts
/// nobody understood, kept verbatim as lines. Nothing is dropped unread: a part is either planned, a fact, or kept.
/// </summary>
internal sealed class ImportedHooks
{
    private readonly IReadOnlyList<(string Line, IReadOnlyList<(HookSegment Segment, IReadOnlyList<HookMeaning> Meanings)> Parts)> _postUp;
    private readonly IReadOnlyList<(string Line, IReadOnlyList<(HookSegment Segment, IReadOnlyList<HookMeaning> Meanings)> Parts)> _postDown;

    public ImportedHooks(WgQuickInterface face, string tunnel)
    {
        _postUp = Read(face.PostUp, tunnel);
        _postDown = Read(face.PostDown, tunnel);
        var postUpMeanings = _postUp.SelectMany(line => line.Parts).SelectMany(part => part.Meanings).ToList();
        MasqueradeInterface = postUpMeanings.FirstOrDefault(meaning => meaning is { Kind: HookMeaningKind.Masquerade, Interface: not null })?.Interface;
        ZoneMasquerade = postUpMeanings.Any(meaning => meaning is { Kind: HookMeaningKind.Masquerade, Interface: null });
        Drops = [.. postUpMeanings.Where(meaning => meaning.Kind == HookMeaningKind.Drop).Select(meaning => meaning.Drop!).Distinct()];
        Maps = [.. postUpMeanings.Where(meaning => meaning.Kind == HookMeaningKind.PrefixMap).Select(meaning => meaning.Map!.Value).Distinct()];
    }

    /// <summary>The interface the first masquerade rule names (the LAN's, or a relay's way out for full tunnels).</summary>
    public string? MasqueradeInterface { get; }

    /// <summary>A firewalld <c>--add-masquerade</c>: masquerade, the interface not said.</summary>
    public bool ZoneMasquerade { get; }

    public IReadOnlyList<DropRule> Drops { get; }

    /// <summary>The LAN subnets translated 1:1 at the tunnel (real, mapped), from either direction's rule.</summary>
    public IReadOnlyList<(System.Net.IPNetwork Real, System.Net.IPNetwork Mapped)> Maps { get; }

    /// <summary>
    /// The PostUp and PostDown lines to keep verbatim: a line plan writes for the design (<paramref name="planned"/>) is
    /// dropped whole; of the others, the parts not understood, joined again; masquerade parts too when
    /// <paramref name="keepMasquerade"/> (a relay's egress NAT, which the design does not hold).
    /// </summary>
    public (IReadOnlyList<string> PostUp, IReadOnlyList<string> PostDown) Unread(ISet<string> planned, bool keepMasquerade) =>
        (Unread(_postUp, planned, keepMasquerade), Unread(_postDown, planned, keepMasquerade));

    private static List<string> Unread(IReadOnlyList<(string Line, IReadOnlyList<(HookSegment Segment, IReadOnlyList<HookMeaning> Meanings)> Parts)> lines, ISet<string> planned, bool keepMasquerade) =>
        [.. lines.Where(line => !planned.Contains(line.Line))
            .Select(line => string.Join("; ", line.Parts
                .Where(part => part.Meanings.Any(meaning => meaning.Kind == HookMeaningKind.Unknown || (keepMasquerade && meaning.Kind == HookMeaningKind.Masquerade)))
                .Select(part => part.Segment.Text)))
            .Where(line => line.Length > 0)];

    private static List<(string Line, IReadOnlyList<(HookSegment Segment, IReadOnlyList<HookMeaning> Meanings)> Parts)> Read(IReadOnlyList<string> lines, string tunnel) =>
        [.. lines.Select(line => (line, (IReadOnlyList<(HookSegment, IReadOnlyList<HookMeaning>)>)[.. HookSegment.Split(line).Select(segment => (segment, HookReader.Read(segment, tunnel)))]))];
}
