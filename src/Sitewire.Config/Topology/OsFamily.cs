namespace Sitewire.Config.Topology;

/// <summary>
/// The node's operating system family. Servers (Ubuntu, Debian and the RHEL family) run wg-quick and the planned rules:
/// iptables on Ubuntu and Debian, nftables (plus firewalld when it runs) on the RHEL family. Client devices (Android,
/// iOS, Windows, macOS, a Linux desktop) run the WireGuard app or wg-quick/NetworkManager and forward nothing
/// (<see cref="OsFamilyTraits"/>).
/// </summary>
public enum OsFamily
{
    Ubuntu,
    Debian,
    Rhel,
    Rocky,
    Alma,
    Fedora,
    Android,
    Ios,
    Windows,
    Macos,
    Linux,
}
