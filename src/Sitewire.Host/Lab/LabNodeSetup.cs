namespace Sitewire.Host.Lab;

/// <summary>
/// What the plan installs on a node: its wg-quick config (interface name + text) and the sysctls it sets, on top of
/// the firewall the node starts with.
/// </summary>
public sealed record LabNodeSetup(string InterfaceName, string ConfigText, IReadOnlyDictionary<string, string> Sysctls, LabStartingFirewall Firewall = LabStartingFirewall.Empty);

/// <summary>
/// What verify predicts for a flow: it passes (<c>Allowed</c>), or not; <c>Refused</c>: the network lets it through and the
/// destination refuses it; <c>ProbeMtu</c>: the largest packet that crosses both ways unfragmented, when packets cross.
/// </summary>
public sealed record LabPrediction(bool Allowed, string Explanation, bool Refused = false, int? ProbeMtu = null);
