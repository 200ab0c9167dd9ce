using System.Runtime.InteropServices;

namespace Sitewire.Tunnel;

internal static partial class Interop
{
    internal const ulong TUNSETIFF = 0x400454ca;
    internal const ulong TUNGETIFF = 0x800454d2;
    internal const ulong TUNSETOFFLOAD = 0x400454d0;
    internal const ulong TUNSETVNETHDRSZ = 0x400454d8;
    internal const ulong SIOCGIFMTU = 0x8921;
    internal const ulong SIOCSIFMTU = 0x8922;

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_NO_PI = 0x1000;
    internal const short IFF_VNET_HDR = 0x4000;

    internal const uint TUN_F_CSUM = 0x01;
    internal const uint TUN_F_TSO4 = 0x02;
    internal const uint TUN_F_TSO6 = 0x04;
    internal const uint TUN_F_TSO_ECN = 0x08;
    internal const uint TUN_F_USO4 = 0x20;
    internal const uint TUN_F_USO6 = 0x40;

    internal const int IFNAMSIZ = 16;

    /// <summary>struct ifreq: the name, then a 24-byte union of which we use the short flags and the int MTU.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    internal unsafe struct IfReq
    {
        [FieldOffset(0)]
        public fixed byte Name[IFNAMSIZ];

        [FieldOffset(16)]
        public short Flags;

        [FieldOffset(16)]
        public int Mtu;
    }

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int Ioctl(SafeHandle fd, ulong request, IfReq* argument);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int Ioctl(SafeHandle fd, ulong request, int* argument);

    /// <summary>ioctl with an integer argument passed by value (TUNSETOFFLOAD).</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, ulong request, nuint argument);
}
