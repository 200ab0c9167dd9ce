namespace Sitewire.Host.Lab;

/// <summary>
/// What verify predicts for a flow: it passes (<c>Allowed</c>), or not, and why (its trace summary); <c>Refused</c>: the
/// network lets it through and the destination refuses it; <c>ProbeMtu</c>: the largest packet that crosses both ways
/// unfragmented, when packets cross; <c>EchoBlocked</c>: the network stops echoes between the flow's ends.
/// </summary>
public sealed record LabPrediction(bool Allowed, string Explanation, bool Refused = false, int? ProbeMtu = null, bool EchoBlocked = false);
