using Sitewire.Host.Processes;

namespace Sitewire.Host.Lab;

/// <summary>The host commands the lab needs and the Debian packages that provide them.</summary>
public static class Dependencies
{
    public static readonly IReadOnlyDictionary<string, string> LabCommands = new Dictionary<string, string>
    {
        ["ip"] = "iproute2",
        ["wg"] = "wireguard-tools",
        ["wg-quick"] = "wireguard-tools",
        ["nft"] = "nftables",
        ["iptables"] = "iptables",
        ["ping"] = "iputils-ping",
        ["python3"] = "python3",
    };

    /// <summary>The lab's commands plus the engine's: wireguard-go is a Debian package, sitewired is built with sitewire.</summary>
    /// <summary>With <paramref name="firewalld"/> (a lab with RHEL-family nodes, run with firewalld), also firewalld and its bus.</summary>
    public static IReadOnlyDictionary<string, string> LabCommandsFor(LabEngineKind engine, bool firewalld = false)
    {
        var commands = new Dictionary<string, string>(LabCommands);
        if (engine == LabEngineKind.WireguardGo)
        {
            commands["wireguard-go"] = "wireguard-go";
        }
        if (firewalld)
        {
            foreach (var (command, package) in LabFirewalld.RequiredCommands)
            {
                commands[command] = package;
            }
        }
        return commands;
    }

    /// <summary>Debian packages providing commands that are not installed, sorted, without duplicates.</summary>
    public static IReadOnlyList<string> MissingPackages(IReadOnlyDictionary<string, string> commands) =>
        [.. commands.Where(c => Executables.Which(c.Key) is null).Select(c => c.Value).Distinct().Order(StringComparer.Ordinal)];
}
