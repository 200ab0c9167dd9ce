namespace Sitewire.Config.Topology;

/// <summary>
/// The node's operating system family; it decides the packet filter the rendered rules use:
/// iptables on Ubuntu and Debian, nftables (plus firewalld when it runs) on the RHEL family.
/// </summary>
public enum OsFamily
{
    Ubuntu,
    Debian,
    Rhel,
    Rocky,
    Alma,
    Fedora,
}
