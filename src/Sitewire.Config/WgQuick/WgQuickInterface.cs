using Sitewire.Crypto;

namespace Sitewire.Config.WgQuick;

/// <summary>
/// The <c>[Interface]</c> section. <see cref="PrivateKey"/> is null when the key is loaded by a
/// PostUp command (node-local keys). Hook lists hold the command lines in order; <c>%i</c> stays
/// literal (wg-quick expands it).
/// </summary>
public sealed record WgQuickInterface(
    IReadOnlyList<InterfaceAddress> Addresses,
    Key? PrivateKey,
    int? ListenPort,
    int? Mtu,
    string? Table,
    IReadOnlyList<string> Dns,
    IReadOnlyList<string> PreUp,
    IReadOnlyList<string> PostUp,
    IReadOnlyList<string> PreDown,
    IReadOnlyList<string> PostDown)
{
    public static WgQuickInterface Empty { get; } = new([], null, null, null, null, [], [], [], [], []);
}
