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
/// sockets and a wake-up eventfd, then drains each with recvmmsg(2); Send uses sendmmsg(2). Close
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
    private volatile Sockets? _sockets;
    private uint _mark;

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
                return new Sockets(ipv4, TryBindIPv6(actualPort), actualPort);
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

    public void Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint) =>
        _sockets?.Send(buffers, sizes, count, offset, endpoint);

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
        return socket;
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
        private readonly Socket _ipv4;
        private readonly Socket? _ipv6;
        private readonly SafeFileDescriptor _wake;

        public Sockets(Socket ipv4, Socket? ipv6, ushort port)
        {
            _ipv4 = ipv4;
            _ipv6 = ipv6;
            Port = port;
            _wake = Interop.EventFd(0, Interop.EFD_NONBLOCK | Interop.EFD_CLOEXEC);
            if (_wake.IsInvalid)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new Win32Exception(errno, $"eventfd: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        public ushort Port { get; }

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
                    count += ReceiveBatch(_ipv4, buffers, sizes, endpoints, 0);
                }
                if (fds[2].Revents != 0 && count < buffers.Length)
                {
                    count += ReceiveBatch(_ipv6!, buffers, sizes, endpoints, count);
                }
                if (count > 0)
                {
                    return count;
                }
            }
        }

        private static int ReceiveBatch(Socket socket, byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints, int start)
        {
            var count = Math.Min(buffers.Length - start, 128);
            var messages = stackalloc Interop.MMsgHdr[count];
            var vectors = stackalloc Interop.IoVec[count];
            var addresses = stackalloc Interop.SockAddrIn6[count];
            var pins = new PinnedBuffers(buffers, start, count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    vectors[i] = new Interop.IoVec { Base = pins.Address(i), Length = (nuint)buffers[start + i].Length };
                    messages[i] = new Interop.MMsgHdr
                    {
                        Header = new Interop.MsgHdr { Name = &addresses[i], NameLength = (uint)sizeof(Interop.SockAddrIn6), Iov = &vectors[i], IovLength = 1 },
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
                    endpoints[start + i] = ToEndpoint(&addresses[i]);
                }
                return Math.Max(received, 0);
            }
            finally
            {
                pins.Dispose();
            }
        }

        public void Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint)
        {
            try
            {
                SendOpen(buffers, sizes, count, offset, endpoint);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private void SendOpen(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint)
        {
            var socket = endpoint.IsIPv4 ? _ipv4 : _ipv6;
            if (socket is null || count == 0)
            {
                return;
            }
            Interop.SockAddrIn6 address;
            var addressLength = FromEndpoint(endpoint, &address);
            var batch = Math.Min(count, 128);
            var messages = stackalloc Interop.MMsgHdr[batch];
            var vectors = stackalloc Interop.IoVec[batch];
            for (var first = 0; first < count; first += batch)
            {
                var length = Math.Min(batch, count - first);
                var pins = new PinnedBuffers(buffers, first, length);
                try
                {
                    for (var i = 0; i < length; i++)
                    {
                        vectors[i] = new Interop.IoVec { Base = pins.Address(i) + offset, Length = (nuint)sizes[first + i] };
                        messages[i] = new Interop.MMsgHdr
                        {
                            Header = new Interop.MsgHdr { Name = &address, NameLength = addressLength, Iov = &vectors[i], IovLength = 1 },
                        };
                    }
                    for (var sent = 0; sent < length;)
                    {
                        var result = Interop.SendMMsg(socket.SafeHandle, messages + sent, (uint)(length - sent), 0);
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
                finally
                {
                    pins.Dispose();
                }
            }
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
