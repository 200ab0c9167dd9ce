namespace Sitewire.Config.Topology;

/// <summary>What an OS family can do with a plan: client devices forward nothing; only wg-quick runs hook lines.</summary>
public static class OsFamilyTraits
{
    /// <summary>A phone, tablet or desktop: it imports a config into the WireGuard app (or wg-quick on a Linux desktop), forwards nothing and gets no planned rules.</summary>
    public static bool IsClientDevice(this OsFamily os) => os is OsFamily.Android or OsFamily.Ios or OsFamily.Windows or OsFamily.Macos or OsFamily.Linux;

    /// <summary>RHEL, Rocky, Alma, Fedora: nftables, and firewalld when it runs; the other servers use iptables.</summary>
    public static bool IsRhelFamily(this OsFamily os) => os is OsFamily.Rhel or OsFamily.Rocky or OsFamily.Alma or OsFamily.Fedora;

    /// <summary>Whether the OS runs wg-quick's PostUp/PostDown lines: the servers and a Linux desktop; the WireGuard apps of Android, iOS, Windows and macOS do not.</summary>
    public static bool RunsHooks(this OsFamily os) => !os.IsClientDevice() || os == OsFamily.Linux;
}
