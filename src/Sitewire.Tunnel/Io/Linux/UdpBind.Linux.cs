using System.Buffers.Binary;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sitewire.Tunnel.Configuration;

namespace Sitewire.Tunnel.Io.Linux;

/// <summary>
/// The UDP side on Linux: an IPv4 and an IPv6-only socket on the same port, each with multi-MiB
/// buffers (SO_RCVBUFFORCE as root, so bursts are not dropped). Receive waits in poll(2) on both
/// sockets and a wake-up eventfd, then drains each with recvmmsg(2); Send uses sendmmsg(2). With offloads, a run of
/// equal-sized datagrams (the last may be shorter) goes out as one message with UDP_SEGMENT (GSO; the kernel cuts it into
/// the same datagrams), and sockets receive with UDP_GRO, whose coalesced datagrams are cut again at the segment size
/// the kernel reports; a kernel or path that refuses either turns it off for that socket and the plain path serves. Close
/// (or a new Open) wakes pending receives, which return 0. A new Open binds the new port before it closes the
/// old sockets, so a port that cannot be had leaves the old ones serving. Send errors (unreachable network, no
/// route) drop the batch, like a lost datagram; they are not thrown.
/// </summary>
public sealed unsafe class UdpBind : IBind
{
    /// <summary>wireguard-go's socket buffer size.</summary>
    public const int SocketBufferBytes = 7 << 20;

    private const int OpenAttempts = 10;

    private readonly Lock _lock = new();
    private readonly bool _offload;
    private volatile Sockets? _sockets;
    private uint _mark;

    /// <param name="offload">Use UDP GSO on send and UDP GRO on receive where the kernel allows.</param>
    public UdpBind(bool offload = false)
    {
        _offload = offload;
    }

    /// <summary>What offloads the open sockets use, and why not when refused; empty without offloads.</summary>
    public string OffloadStatus => _sockets?.OffloadStatus ?? "";

    /// <summary>Called with a line when the kernel refuses an offload at run time (GSO turned off for a socket).</summary>
    public Action<string>? OnOffloadRefused { get; set; }

    public int BatchSize => 128;

    public ushort Open(ushort port)
    {
        lock (_lock)
        {
            if (port != 0 && port == _sockets?.Port)
            {
                CloseLocked();
            }
            var opened = Bind(port);
            _sockets?.Dispose();
            _sockets = opened;
            return opened.Port;
        }
    }

    private Sockets Bind(ushort port)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ipv4 = CreateSocket(AddressFamily.InterNetwork);
            try
            {
                ipv4.Bind(new IPEndPoint(IPAddress.Any, port));
                var actualPort = (ushort)((IPEndPoint)ipv4.LocalEndPoint!).Port;
                return new Sockets(ipv4, TryBindIPv6(actualPort), actualPort, _offload, OnOffloadRefused);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                ipv4.Dispose();
                if (port != 0 || attempt == OpenAttempts)
                {
                    throw new ConfigurationException(Errnos.EADDRINUSE, $"UDP port {port} is in use");
                }
            }
            catch
            {
                ipv4.Dispose();
                throw;
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            CloseLocked();
        }
    }

    public void SetMark(uint mark)
    {
        lock (_lock)
        {
            _sockets?.SetMark(mark, _mark);
            _mark = mark;
        }
    }

    public int Receive(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints) =>
        _sockets?.Receive(buffers, sizes, endpoints) ?? 0;

    public bool Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint) =>
        _sockets?.Send(buffers, sizes, count, offset, endpoint) ?? true;

    public void Dispose() => Close();

    private void CloseLocked()
    {
        _sockets?.Dispose();
        _sockets = null;
    }

    private Socket? TryBindIPv6(ushort port)
    {
        Socket ipv6;
        try
        {
            ipv6 = CreateSocket(AddressFamily.InterNetworkV6);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            return null;
        }
        try
        {
            ipv6.DualMode = false;
            ipv6.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return ipv6;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            ipv6.Dispose();
            return null;
        }
        catch
        {
            ipv6.Dispose();
            throw;
        }
    }

    private Socket CreateSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        SetBufferSize(socket, Interop.SO_RCVBUFFORCE, SocketOptionName.ReceiveBuffer);
        SetBufferSize(socket, Interop.SO_SNDBUFFORCE, SocketOptionName.SendBuffer);
        if (_mark != 0)
        {
            Sockets.SetMark(socket, _mark);
        }
        EnablePacketInfo(socket, family);
        return socket;
    }

    /// <summary>Asks for the local address each datagram arrived on (sticky source); without it answers leave from the kernel's choice.</summary>
    private static void EnablePacketInfo(Socket socket, AddressFamily family)
    {
        Span<byte> one = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(one, 1);
        try
        {
            if (family == AddressFamily.InterNetwork)
            {
                socket.SetRawSocketOption(Interop.IPPROTO_IP, Interop.IP_PKTINFO, one);
            }
            else
            {
                socket.SetRawSocketOption(Interop.IPPROTO_IPV6, Interop.IPV6_RECVPKTINFO, one);
            }
        }
        catch (SocketException)
        {
        }
    }

    private static void SetBufferSize(Socket socket, int forceOption, SocketOptionName fallback)
    {
        Span<byte> size = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(size, SocketBufferBytes);
        try
        {
            socket.SetRawSocketOption(Interop.SOL_SOCKET, forceOption, size);
        }
        catch (SocketException)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, fallback, SocketBufferBytes);
        }
    }

    /// <summary>One generation of open sockets; a Close or re-Open disposes it and wakes its receivers.</summary>
    private sealed class Sockets : IDisposable
    {
        private const int MaxGsoSegments = 64;
        private const int MaxGsoBytes = 65000;
        private const int GroBatch = 32;

        private readonly Socket _ipv4;
        private readonly Socket? _ipv6;
        private readonly SafeFileDescriptor _wake;
        private readonly Action<string>? _onRefused;
        private volatile bool _gso4;
        private volatile bool _gso6;
        private readonly bool _gro4;
        private readonly bool _gro6;

        // With GRO, datagrams are received into these buffers of our own (a coalesced one fills up to 64 KiB; the pool's
        // buffers are touched only as far as one datagram reaches) and cut into the caller's; what did not fit waits
        // here for the next Receive (receiver thread only).
        private readonly byte[][] _groBuffers = new byte[GroBatch][];
        private readonly int[] _groSizes = new int[GroBatch];
        private readonly int[] _groSegments = new int[GroBatch];
        private readonly Endpoint[] _groEndpoints = new Endpoint[GroBatch];
        private int _groCount;
        private int _groNext;
        private int _groPiece;

        public Sockets(Socket ipv4, Socket? ipv6, ushort port, bool offload, Action<string>? onRefused)
        {
            _ipv4 = ipv4;
            _ipv6 = ipv6;
            Port = port;
            _onRefused = onRefused;
            if (offload)
            {
                var notes = new List<string>();
                _gso4 = SupportsGso(ipv4, "ipv4", notes);
                _gro4 = EnableGro(ipv4, "ipv4", notes);
                if (ipv6 is not null)
                {
                    _gso6 = SupportsGso(ipv6, "ipv6", notes);
                    _gro6 = EnableGro(ipv6, "ipv6", notes);
                }
                var on = _gso4 && _gro4 && (ipv6 is null || (_gso6 && _gro6)) ? "gso gro" : "partial";
                OffloadStatus = notes.Count == 0 ? $"udp offloads: {on}" : $"udp offloads: {on}; refused by the kernel: {string.Join(", ", notes)}";
            }
            else
            {
                OffloadStatus = "";
            }
            _wake = Interop.EventFd(0, Interop.EFD_NONBLOCK | Interop.EFD_CLOEXEC);
            if (_wake.IsInvalid)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new Win32Exception(errno, $"eventfd: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        public ushort Port { get; }

        public string OffloadStatus { get; }

        private static bool SupportsGso(Socket socket, string family, List<string> notes)
        {
            Span<byte> value = stackalloc byte[sizeof(int)];
            try
            {
                socket.GetRawSocketOption(Interop.SOL_UDP, Interop.UDP_SEGMENT, value);
                return true;
            }
            catch (SocketException e)
            {
                notes.Add($"{family} gso ({e.Message})");
                return false;
            }
        }

        private static bool EnableGro(Socket socket, string family, List<string> notes)
        {
            Span<byte> value = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(value, 1);
            try
            {
                socket.SetRawSocketOption(Interop.SOL_UDP, Interop.UDP_GRO, value);
                return true;
            }
            catch (SocketException e)
            {
                notes.Add($"{family} gro ({e.Message})");
                return false;
            }
        }

        /// <summary>Marks both sockets or, when the second refuses, puts <paramref name="previous"/> back on the first.</summary>
        public void SetMark(uint mark, uint previous)
        {
            SetMark(_ipv4, mark);
            if (_ipv6 is null)
            {
                return;
            }
            try
            {
                SetMark(_ipv6, mark);
            }
            catch
            {
                SetMark(_ipv4, previous);
                throw;
            }
        }

        public static void SetMark(Socket socket, uint mark)
        {
            Span<byte> value = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(value, mark);
            socket.SetRawSocketOption(Interop.SOL_SOCKET, Interop.SO_MARK, value);
        }

        /// <summary>Waits for datagrams on either socket; 0 once this generation is closed.</summary>
        public int Receive(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints)
        {
            try
            {
                return ReceiveOpen(buffers, sizes, endpoints);
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
        }

        private int ReceiveOpen(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints)
        {
            using var lease = new DescriptorLease(_ipv4.SafeHandle, _wake);
            using var ipv6Lease = new DescriptorLease((SafeHandle?)_ipv6?.SafeHandle ?? _wake, _wake);
            var fds = stackalloc Interop.PollFd[3];
            fds[0] = new Interop.PollFd { Fd = (int)_wake.DangerousGetHandle(), Events = Interop.POLLIN };
            fds[1] = new Interop.PollFd { Fd = (int)_ipv4.SafeHandle.DangerousGetHandle(), Events = Interop.POLLIN };
            fds[2] = new Interop.PollFd { Fd = _ipv6 is null ? -1 : (int)_ipv6.SafeHandle.DangerousGetHandle(), Events = Interop.POLLIN };
            while (true)
            {
                if (_groNext < _groCount)
                {
                    var drained = DrainGro(buffers, sizes, endpoints, 0);
                    if (drained > 0)
                    {
                        return drained;
                    }
                }
                if (Interop.Poll(fds, 3, -1) < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interop.EINTR)
                    {
                        continue;
                    }
                    return 0;
                }
                if (fds[0].Revents != 0)
                {
                    return 0;
                }
                var count = 0;
                if (fds[1].Revents != 0)
                {
                    count += ReceiveBatch(_ipv4, _gro4, buffers, sizes, endpoints, 0);
                }
                if (fds[2].Revents != 0 && count < buffers.Length && _groNext == _groCount)
                {
                    count += ReceiveBatch(_ipv6!, _gro6, buffers, sizes, endpoints, count);
                }
                if (count > 0)
                {
                    return count;
                }
            }
        }

        private int ReceiveBatch(Socket socket, bool gro, byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints, int start)
        {
            if (gro)
            {
                return ReceiveCoalesced(socket, buffers, sizes, endpoints, start);
            }
            var count = Math.Min(buffers.Length - start, 128);
            var messages = stackalloc Interop.MMsgHdr[count];
            var vectors = stackalloc Interop.IoVec[count];
            var addresses = stackalloc Interop.SockAddrIn6[count];
            var controls = stackalloc byte[count * Interop.ControlSpace];
            var pins = new PinnedBuffers(buffers, start, count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    vectors[i] = new Interop.IoVec { Base = pins.Address(i), Length = (nuint)buffers[start + i].Length };
                    messages[i] = new Interop.MMsgHdr
                    {
                        Header = new Interop.MsgHdr
                        {
                            Name = &addresses[i],
                            NameLength = (uint)sizeof(Interop.SockAddrIn6),
                            Iov = &vectors[i],
                            IovLength = 1,
                            Control = controls + (i * Interop.ControlSpace),
                            ControlLength = Interop.ControlSpace,
                        },
                    };
                }
                int received;
                do
                {
                    received = Interop.RecvMMsg(socket.SafeHandle, messages, (uint)count, Interop.MSG_DONTWAIT, null);
                }
                while (received < 0 && Marshal.GetLastPInvokeError() == Interop.EINTR);
                for (var i = 0; i < received; i++)
                {
                    sizes[start + i] = (int)messages[i].Length;
                    endpoints[start + i] = ReadControl(&messages[i].Header, ToEndpoint(&addresses[i]), out _);
                }
                return Math.Max(received, 0);
            }
            finally
            {
                pins.Dispose();
            }
        }

        /// <summary>Receives into the GRO buffers, with the segment size of each, then cuts what fits into the caller's batch.</summary>
        private int ReceiveCoalesced(Socket socket, byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints, int start)
        {
            var count = Math.Min(GroBatch, Math.Max(buffers.Length - start, 1));
            for (var i = 0; i < count; i++)
            {
                _groBuffers[i] ??= GC.AllocateUninitializedArray<byte>(PacketBuffers.BufferSize, pinned: true);
            }
            var messages = stackalloc Interop.MMsgHdr[count];
            var vectors = stackalloc Interop.IoVec[count];
            var addresses = stackalloc Interop.SockAddrIn6[count];
            var controls = stackalloc byte[count * Interop.ControlSpace];
            var pins = new PinnedBuffers(_groBuffers, 0, count);
            int received;
            try
            {
                for (var i = 0; i < count; i++)
                {
                    vectors[i] = new Interop.IoVec { Base = pins.Address(i), Length = (nuint)_groBuffers[i].Length };
                    messages[i] = new Interop.MMsgHdr
                    {
                        Header = new Interop.MsgHdr
                        {
                            Name = &addresses[i],
                            NameLength = (uint)sizeof(Interop.SockAddrIn6),
                            Iov = &vectors[i],
                            IovLength = 1,
                            Control = controls + (i * Interop.ControlSpace),
                            ControlLength = Interop.ControlSpace,
                        },
                    };
                }
                do
                {
                    received = Interop.RecvMMsg(socket.SafeHandle, messages, (uint)count, Interop.MSG_DONTWAIT, null);
                }
                while (received < 0 && Marshal.GetLastPInvokeError() == Interop.EINTR);
                for (var i = 0; i < received; i++)
                {
                    _groSizes[i] = (int)messages[i].Length;
                    _groEndpoints[i] = ReadControl(&messages[i].Header, ToEndpoint(&addresses[i]), out _groSegments[i]);
                }
            }
            finally
            {
                pins.Dispose();
            }
            _groCount = Math.Max(received, 0);
            _groNext = 0;
            _groPiece = 0;
            return DrainGro(buffers, sizes, endpoints, start);
        }

        /// <summary>Copies the received datagrams, each coalesced one cut at its segment size, into <c>buffers[start..]</c>.</summary>
        private int DrainGro(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints, int start)
        {
            var placed = 0;
            while (_groNext < _groCount && start + placed < buffers.Length)
            {
                var size = _groSizes[_groNext];
                var segment = _groSegments[_groNext] > 0 ? _groSegments[_groNext] : size;
                var from = _groPiece * segment;
                var length = Math.Min(segment, size - from);
                _groBuffers[_groNext].AsSpan(from, length).CopyTo(buffers[start + placed]);
                sizes[start + placed] = length;
                endpoints[start + placed] = _groEndpoints[_groNext];
                placed++;
                if (from + length >= size)
                {
                    _groNext++;
                    _groPiece = 0;
                }
                else
                {
                    _groPiece++;
                }
            }
            return placed;
        }

        /// <summary>
        /// Reads a received message's control data: the UDP_GRO segment size (0 when none) and the local address and
        /// interface it arrived on (IP_PKTINFO / IPV6_PKTINFO), which <paramref name="source"/> comes back with.
        /// </summary>
        private static Endpoint ReadControl(Interop.MsgHdr* header, Endpoint source, out int segmentSize)
        {
            segmentSize = 0;
            if (header->Control is null || header->ControlLength < (nuint)sizeof(Interop.CMsgHdr))
            {
                return source;
            }
            var control = (byte*)header->Control;
            var end = control + header->ControlLength;
            while (control + sizeof(Interop.CMsgHdr) <= end)
            {
                var cmsg = (Interop.CMsgHdr*)control;
                if (cmsg->Length < (nuint)sizeof(Interop.CMsgHdr) || control + cmsg->Length > end)
                {
                    break;
                }
                var data = control + sizeof(Interop.CMsgHdr);
                var dataLength = (int)cmsg->Length - sizeof(Interop.CMsgHdr);
                if (cmsg->Level == Interop.SOL_UDP && cmsg->Type == Interop.UDP_GRO && dataLength >= sizeof(int))
                {
                    segmentSize = *(int*)data;
                }
                else if (cmsg->Level == Interop.IPPROTO_IP && cmsg->Type == Interop.IP_PKTINFO && dataLength >= 12 && source.IsIPv4)
                {
                    // struct in_pktinfo: ifindex, spec_dst (the local address), addr (the header's destination).
                    source = source.WithLocal(new ReadOnlySpan<byte>(data + 4, 4), *(int*)data);
                }
                else if (cmsg->Level == Interop.IPPROTO_IPV6 && cmsg->Type == Interop.IPV6_PKTINFO && dataLength >= 20 && !source.IsIPv4)
                {
                    // struct in6_pktinfo: addr, ifindex.
                    source = source.WithLocal(new ReadOnlySpan<byte>(data, 16), *(int*)(data + 16));
                }
                control += (int)((cmsg->Length + 7) & ~(nuint)7);
            }
            return source;
        }

        /// <summary>Writes the IP(V6)_PKTINFO cmsg that sends from <paramref name="endpoint"/>'s local address; returns its space.</summary>
        private static int WritePacketInfo(byte* control, Endpoint endpoint)
        {
            var cmsg = (Interop.CMsgHdr*)control;
            var data = control + sizeof(Interop.CMsgHdr);
            if (endpoint.IsIPv4)
            {
                new Span<byte>(control, 32).Clear();
                cmsg->Length = (nuint)(sizeof(Interop.CMsgHdr) + 12);
                cmsg->Level = Interop.IPPROTO_IP;
                cmsg->Type = Interop.IP_PKTINFO;
                endpoint.WriteLocal(new Span<byte>(data + 4, 4));
                return 32;
            }
            new Span<byte>(control, 40).Clear();
            cmsg->Length = (nuint)(sizeof(Interop.CMsgHdr) + 20);
            cmsg->Level = Interop.IPPROTO_IPV6;
            cmsg->Type = Interop.IPV6_PKTINFO;
            endpoint.WriteLocal(new Span<byte>(data, 16));
            // The interface only for a link-local address (which needs it); otherwise routing picks it.
            *(int*)(data + 16) = data[0] == 0xFE && (data[1] & 0xC0) == 0x80 ? endpoint.LocalInterface : 0;
            return 40;
        }

        public bool Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint)
        {
            try
            {
                return SendOpen(buffers, sizes, 0, count, offset, endpoint);
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }

        /// <summary>Sends datagrams <paramref name="start"/> to <paramref name="count"/> - 1; false when the endpoint's local address was refused.</summary>
        private bool SendOpen(byte[][] buffers, ReadOnlySpan<int> sizes, int start, int count, int offset, Endpoint endpoint)
        {
            var socket = endpoint.IsIPv4 ? _ipv4 : _ipv6;
            if (socket is null || count <= start)
            {
                return true;
            }
            Interop.SockAddrIn6 address;
            var addressLength = FromEndpoint(endpoint, &address);
            var batch = Math.Min(count, 128);
            var messages = stackalloc Interop.MMsgHdr[batch];
            var vectors = stackalloc Interop.IoVec[batch];
            var controls = stackalloc byte[batch * Interop.ControlSpace];
            var firstDatagram = stackalloc int[batch + 1];
            for (var first = start; first < count; first += batch)
            {
                var length = Math.Min(batch, count - first);
                var pins = new PinnedBuffers(buffers, first, length);
                try
                {
                    var gso = endpoint.IsIPv4 ? _gso4 : _gso6;
                    var messageCount = 0;
                    for (var i = 0; i < length;)
                    {
                        var size = sizes[first + i];
                        var end = i + 1;
                        if (gso)
                        {
                            var bytes = size;
                            while (end < length && end - i < MaxGsoSegments && sizes[first + end - 1] == size
                                && sizes[first + end] <= size && sizes[first + end] > 0 && bytes + sizes[first + end] <= MaxGsoBytes)
                            {
                                bytes += sizes[first + end];
                                end++;
                            }
                        }
                        for (var j = i; j < end; j++)
                        {
                            vectors[j] = new Interop.IoVec { Base = pins.Address(j) + offset, Length = (nuint)sizes[first + j] };
                        }
                        var header = new Interop.MsgHdr { Name = &address, NameLength = addressLength, Iov = &vectors[i], IovLength = (nuint)(end - i) };
                        var control = controls + (messageCount * Interop.ControlSpace);
                        var used = 0;
                        if (end - i > 1)
                        {
                            var cmsg = (Interop.CMsgHdr*)control;
                            cmsg->Length = (nuint)(sizeof(Interop.CMsgHdr) + sizeof(ushort));
                            cmsg->Level = Interop.SOL_UDP;
                            cmsg->Type = Interop.UDP_SEGMENT;
                            *(ulong*)(control + sizeof(Interop.CMsgHdr)) = (ulong)size;
                            used = Interop.CMsgSpaceInt;
                        }
                        if (endpoint.HasLocal)
                        {
                            used += WritePacketInfo(control + used, endpoint);
                        }
                        if (used > 0)
                        {
                            header.Control = control;
                            header.ControlLength = (nuint)used;
                        }
                        firstDatagram[messageCount] = i;
                        messages[messageCount++] = new Interop.MMsgHdr { Header = header };
                        i = end;
                    }
                    firstDatagram[messageCount] = length;
                    for (var sent = 0; sent < messageCount;)
                    {
                        var result = Interop.SendMMsg(socket.SafeHandle, messages + sent, (uint)(messageCount - sent), 0);
                        if (result >= 0)
                        {
                            sent += result;
                            continue;
                        }
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno == Interop.EINTR)
                        {
                            continue;
                        }
                        var resend = first + firstDatagram[sent];
                        if (endpoint.HasLocal)
                        {
                            // The local address the peer last reached us on is gone (or not ours to send from): the kernel chooses.
                            pins.Dispose();
                            pins = default;
                            SendOpen(buffers, sizes, resend, count, offset, endpoint.WithoutLocal());
                            return false;
                        }
                        if (messages[sent].Header.IovLength > 1 && errno is Interop.EIO or Interop.EINVAL or Interop.EMSGSIZE)
                        {
                            // The kernel or the path refuses segmentation offload: off for this socket, and the rest goes plain.
                            DisableGso(endpoint.IsIPv4, errno);
                            SendPlain(socket, messages, vectors + (resend - first), length - (resend - first), &address, addressLength);
                        }
                        break;
                    }
                }
                finally
                {
                    pins.Dispose();
                }
            }
            return true;
        }

        /// <summary>Sends <paramref name="count"/> datagrams, one per vector, with sendmmsg.</summary>
        private static void SendPlain(Socket socket, Interop.MMsgHdr* messages, Interop.IoVec* vectors, int count, Interop.SockAddrIn6* address, uint addressLength)
        {
            for (var i = 0; i < count; i++)
            {
                messages[i] = new Interop.MMsgHdr
                {
                    Header = new Interop.MsgHdr { Name = address, NameLength = addressLength, Iov = &vectors[i], IovLength = 1 },
                };
            }
            for (var sent = 0; sent < count;)
            {
                var result = Interop.SendMMsg(socket.SafeHandle, messages + sent, (uint)(count - sent), 0);
                if (result < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interop.EINTR)
                    {
                        continue;
                    }
                    return;
                }
                sent += result;
            }
        }

        private void DisableGso(bool ipv4, int errno)
        {
            if (ipv4)
            {
                _gso4 = false;
            }
            else
            {
                _gso6 = false;
            }
            _onRefused?.Invoke($"udp gso off for {(ipv4 ? "ipv4" : "ipv6")}: the kernel refused a segmented send ({Marshal.GetPInvokeErrorMessage(errno)})");
        }

        private static Endpoint ToEndpoint(Interop.SockAddrIn6* address)
        {
            var port = BinaryPrimitives.ReverseEndianness(address->PortBigEndian);
            if (address->Family == Interop.AF_INET)
            {
                var ipv4 = (Interop.SockAddrIn*)address;
                return Endpoint.FromIPv4(new ReadOnlySpan<byte>(ipv4->Address, 4), port);
            }
            return Endpoint.FromIPv6(new ReadOnlySpan<byte>(address->Address, 16), port);
        }

        private static uint FromEndpoint(Endpoint endpoint, Interop.SockAddrIn6* address)
        {
            *address = default;
            address->PortBigEndian = BinaryPrimitives.ReverseEndianness(endpoint.Port);
            if (endpoint.IsIPv4)
            {
                var ipv4 = (Interop.SockAddrIn*)address;
                ipv4->Family = Interop.AF_INET;
                endpoint.WriteAddress4(new Span<byte>(ipv4->Address, 4));
                return (uint)sizeof(Interop.SockAddrIn);
            }
            address->Family = Interop.AF_INET6;
            endpoint.WriteAddress16(new Span<byte>(address->Address, 16));
            return (uint)sizeof(Interop.SockAddrIn6);
        }

        public void Dispose()
        {
            ulong one = 1;
            Interop.Write(_wake, (byte*)&one, sizeof(ulong));
            _ipv4.Dispose();
            _ipv6?.Dispose();
            _wake.Dispose();
        }
    }
}
