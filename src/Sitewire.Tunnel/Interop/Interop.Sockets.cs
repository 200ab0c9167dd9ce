using System.Runtime.InteropServices;

namespace Sitewire.Tunnel;

internal static partial class Interop
{
    internal const ushort AF_INET = 2;
    internal const ushort AF_INET6 = 10;

    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUFFORCE = 32;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int SO_MARK = 36;

    internal const int MSG_DONTWAIT = 0x40;

    internal const int IPPROTO_IP = 0;
    internal const int IP_PKTINFO = 8;
    internal const int IPPROTO_IPV6 = 41;
    internal const int IPV6_RECVPKTINFO = 49;
    internal const int IPV6_PKTINFO = 50;

    /// <summary>Control buffer per message: a UDP_SEGMENT or UDP_GRO cmsg (24) and an IP(V6)_PKTINFO cmsg (32 or 40).</summary>
    internal const int ControlSpace = 64;

    internal const int SOL_UDP = 17;
    internal const int UDP_SEGMENT = 103;
    internal const int UDP_GRO = 104;

    internal const int EINVAL = 22;
    internal const int EMSGSIZE = 90;

    /// <summary>struct cmsghdr on 64-bit Linux: length (size_t), level, type; the data follows at 16.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CMsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>CMSG_SPACE of an int (or a u16): the header and the data padded to 8.</summary>
    internal const int CMsgSpaceInt = 24;

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>struct sockaddr_in6; also large enough to receive a sockaddr_in (same family and port offsets).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 28)]
    internal unsafe struct SockAddrIn6
    {
        public ushort Family;
        public ushort PortBigEndian;
        public uint FlowInfo;
        public fixed byte Address[16];
        public uint ScopeId;
    }

    /// <summary>struct sockaddr_in.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    internal unsafe struct SockAddrIn
    {
        public ushort Family;
        public ushort PortBigEndian;
        public fixed byte Address[4];
    }

    [LibraryImport(Library, EntryPoint = "recvmmsg", SetLastError = true)]
    internal static unsafe partial int RecvMMsg(SafeHandle fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport(Library, EntryPoint = "sendmmsg", SetLastError = true)]
    internal static unsafe partial int SendMMsg(SafeHandle fd, MMsgHdr* messages, uint count, int flags);
}
