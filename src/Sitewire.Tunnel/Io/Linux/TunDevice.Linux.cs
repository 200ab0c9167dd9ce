using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Sitewire.Text;
using Sitewire.Tunnel.Io.Offload;

namespace Sitewire.Tunnel.Io.Linux;

/// <summary>
/// A Linux TUN interface (<c>/dev/net/tun</c>, IFF_TUN | IFF_NO_PI): raw IP packets. With offloads (the default) it is
/// opened with IFF_VNET_HDR and TUNSETOFFLOAD (checksum, TSO for IPv4 and IPv6, TSO with ECN, USO; each probed and
/// kept only when the kernel accepts it): every packet then carries a virtio-net header, reads split the kernel's
/// super-packets into MTU-sized packets (<see cref="GsoSegmenter"/>) and writes join packets of one flow into
/// super-packets (<see cref="TunCoalescer"/>), so the caller sees and hands over plain IP packets either way.
/// Reads wait in poll(2) on the device and on a wake-up eventfd, then drain up to a batch with
/// non-blocking reads. Deletion (<c>ip link del</c>) is seen as POLLERR/EBADFD on the descriptor;
/// moving the interface to another namespace keeps the descriptor working and is not deletion.
/// A watcher thread completes <see cref="Closed"/> on deletion even when nobody is reading.
/// </summary>
public sealed unsafe class TunDevice : ITun
{
    public const int DefaultMtu = 1420;

    private static readonly TimeSpan DeletionCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly SafeFileDescriptor _tun;
    private readonly SafeFileDescriptor _wake;
    private readonly Socket _control;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _vnet;
    private readonly bool _coalesceTcp;
    private readonly bool _coalesceUdp;
    private volatile int _mtu;
    private int _disposed;

    [ThreadStatic]
    private static TunCoalescer? t_coalescer;

    [ThreadStatic]
    private static int[]? t_writeSizes;

    [ThreadStatic]
    private static byte[]? t_writeScratch;

    // Read side (one reader thread): the packet last read, and how far its segments have been handed out.
    private byte[]? _readBuffer;
    private SegmentPlan _pendingPlan;
    private int _pendingNext;

    private TunDevice(SafeFileDescriptor tun, SafeFileDescriptor wake, Socket control, string name, int mtu, uint offloads, string offloadStatus)
    {
        _tun = tun;
        _wake = wake;
        _control = control;
        Name = name;
        _mtu = mtu;
        _vnet = offloads != uint.MaxValue;
        Offloads = offloads == uint.MaxValue ? 0 : offloads;
        _coalesceTcp = (Offloads & (Interop.TUN_F_TSO4 | Interop.TUN_F_TSO6)) == (Interop.TUN_F_TSO4 | Interop.TUN_F_TSO6);
        _coalesceUdp = (Offloads & (Interop.TUN_F_USO4 | Interop.TUN_F_USO6)) == (Interop.TUN_F_USO4 | Interop.TUN_F_USO6);
        OffloadStatus = offloadStatus;
        new Thread(WatchForDeletion) { IsBackground = true, Name = $"tun {name} watcher" }.Start();
    }

    public string Name { get; }

    /// <summary>
    /// The interface's MTU as last read from the kernel: at creation, by the watcher every
    /// <see cref="DeletionCheckInterval"/>, and by <see cref="RefreshMtu"/>; no system call on the packet path.
    /// </summary>
    public int Mtu => _mtu;

    /// <summary>TUN_F_* offloads the kernel accepted (0 without offloads).</summary>
    public uint Offloads { get; }

    /// <summary>What is on and off, and why, for the daemon's start line; empty when offloads were not asked for.</summary>
    public string OffloadStatus { get; }

    /// <summary>True when the kernel refused an offload that was asked for.</summary>
    public bool OffloadRefused => OffloadStatus.Contains("refused", StringComparison.Ordinal);

    /// <summary>Reads the MTU from the kernel now; keeps the last value once the interface left this namespace.</summary>
    public int RefreshMtu()
    {
        var request = NamedRequest(Name);
        try
        {
            if (Interop.Ioctl(_control.SafeHandle, Interop.SIOCGIFMTU, &request) == 0)
            {
                _mtu = request.Mtu;
            }
        }
        catch (ObjectDisposedException)
        {
        }
        return _mtu;
    }

    public int BatchSize => 128;

    public Task Closed => _closed.Task;

    /// <summary>
    /// Creates (or attaches to) the TUN interface <paramref name="name"/> and sets its MTU; with <paramref name="offload"/>,
    /// asks for the virtio-net header and every offload the kernel accepts (see <see cref="OffloadStatus"/>).
    /// </summary>
    public static TunDevice Create(string name, int mtu = DefaultMtu, bool offload = false)
    {
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) >= Interop.IFNAMSIZ || name.Contains('/') || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"invalid interface name \"{DisplayText.Escape(name)}\" (1 to 15 bytes, no '/' or spaces)", nameof(name));
        }
        var tun = Interop.Open("/dev/net/tun", Interop.O_RDWR | Interop.O_NONBLOCK | Interop.O_CLOEXEC);
        if (tun.IsInvalid)
        {
            throw LastError("open /dev/net/tun");
        }
        SafeFileDescriptor? wake = null;
        Socket? control = null;
        try
        {
            var request = NamedRequest(name);
            request.Flags = (short)(Interop.IFF_TUN | Interop.IFF_NO_PI | (offload ? Interop.IFF_VNET_HDR : 0));
            var offloads = uint.MaxValue;
            var status = "";
            if (Interop.Ioctl(tun, Interop.TUNSETIFF, &request) != 0)
            {
                if (!offload)
                {
                    throw LastError($"TUNSETIFF {DisplayText.Escape(name)}");
                }
                status = $"tun offloads off: IFF_VNET_HDR refused ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})";
                request = NamedRequest(name);
                request.Flags = Interop.IFF_TUN | Interop.IFF_NO_PI;
                if (Interop.Ioctl(tun, Interop.TUNSETIFF, &request) != 0)
                {
                    throw LastError($"TUNSETIFF {DisplayText.Escape(name)}");
                }
            }
            else if (offload)
            {
                (offloads, status) = ProbeOffloads(tun);
            }
            var actualName = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(request.Name));
            control = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var mtuRequest = NamedRequest(actualName);
            mtuRequest.Mtu = mtu;
            if (Interop.Ioctl(control.SafeHandle, Interop.SIOCSIFMTU, &mtuRequest) != 0)
            {
                throw LastError($"set MTU {mtu} on {DisplayText.Escape(actualName)}");
            }
            wake = Interop.EventFd(0, Interop.EFD_NONBLOCK | Interop.EFD_CLOEXEC);
            if (wake.IsInvalid)
            {
                throw LastError("eventfd");
            }
            return new TunDevice(tun, wake, control, actualName, mtu, offloads, status);
        }
        catch
        {
            tun.Dispose();
            wake?.Dispose();
            control?.Dispose();
            throw;
        }
    }

    /// <summary>Sets the header size, then enables TUN_F_* offloads one group at a time, keeping what the kernel accepts.</summary>
    private static (uint Offloads, string Status) ProbeOffloads(SafeFileDescriptor tun)
    {
        var size = VirtioNetHeader.Size;
        if (Interop.Ioctl(tun, Interop.TUNSETVNETHDRSZ, &size) != 0)
        {
            return (0, $"tun offloads off: TUNSETVNETHDRSZ refused ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
        }
        (uint Bits, string Name)[] steps =
        [
            (Interop.TUN_F_CSUM, "csum"),
            (Interop.TUN_F_TSO4, "tso4"),
            (Interop.TUN_F_TSO6, "tso6"),
            (Interop.TUN_F_TSO_ECN, "tso-ecn"),
            (Interop.TUN_F_USO4 | Interop.TUN_F_USO6, "uso"),
        ];
        uint accepted = 0;
        var on = new List<string>();
        var refused = new List<string>();
        foreach (var (bits, stepName) in steps)
        {
            if (accepted == 0 && bits != Interop.TUN_F_CSUM)
            {
                refused.Add($"{stepName} (needs csum)");
                continue;
            }
            if (Interop.Ioctl(tun, Interop.TUNSETOFFLOAD, (nuint)(accepted | bits)) == 0)
            {
                accepted |= bits;
                on.Add(stepName);
            }
            else
            {
                refused.Add($"{stepName} ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
            }
        }
        if (Interop.Ioctl(tun, Interop.TUNSETOFFLOAD, (nuint)accepted) != 0)
        {
            accepted = 0;
        }
        var text = $"tun offloads: {(on.Count == 0 ? "none" : string.Join(' ', on))}";
        return (accepted, refused.Count == 0 ? text : $"{text}; refused by the kernel: {string.Join(", ", refused)}");
    }

    public int Read(byte[][] buffers, Span<int> sizes, int offset)
    {
        try
        {
            return ReadOpen(buffers, sizes, offset);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    public void Write(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset)
    {
        try
        {
            WriteOpen(buffers, sizes, count, offset);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private int ReadOpen(byte[][] buffers, Span<int> sizes, int offset)
    {
        using var lease = new DescriptorLease(_tun, _wake);
        while (true)
        {
            var count = _pendingNext < _pendingPlan.Count ? DrainPending(buffers, sizes, 0, offset) : 0;
            if (count == 0 && !WaitReadable())
            {
                return 0;
            }
            while (count < buffers.Length)
            {
                if (!_vnet)
                {
                    var length = ReadOne(buffers[count], offset);
                    if (length < 0)
                    {
                        break;
                    }
                    sizes[count++] = length;
                    continue;
                }
                var read = ReadOne(_readBuffer ??= NewBuffer(), 0);
                if (read < 0)
                {
                    break;
                }
                if (Plan(read))
                {
                    count += DrainPending(buffers, sizes, count, offset);
                }
            }
            if (count > 0 || _closed.Task.IsCompleted)
            {
                return count;
            }
        }
    }

    /// <summary>
    /// Reads the virtio-net header of the packet just read into <see cref="_readBuffer"/> and plans its split (a packet
    /// without GSO is one segment, its partial checksum completed); false for one the kernel described in a way we
    /// cannot use (dropped). The super-packet is read into our own buffer, not the caller's, so that a pool buffer is
    /// touched only as far as one MTU-sized packet reaches.
    /// </summary>
    private bool Plan(int read)
    {
        if (read < VirtioNetHeader.Size)
        {
            return false;
        }
        var header = VirtioNetHeader.Read(_readBuffer);
        var packet = _readBuffer.AsSpan(VirtioNetHeader.Size, read - VirtioNetHeader.Size);
        if (!GsoSegmenter.TryPlan(header, packet, out _pendingPlan) || (!_pendingPlan.Segmented && !GsoSegmenter.CompleteChecksum(header, packet)))
        {
            _pendingPlan = default;
            return false;
        }
        _pendingNext = 0;
        return true;
    }

    /// <summary>Copies the planned packet's next segments to <c>buffers[index..]</c>; returns how many.</summary>
    private int DrainPending(byte[][] buffers, Span<int> sizes, int index, int offset)
    {
        var packet = _readBuffer.AsSpan(VirtioNetHeader.Size, _pendingPlan.TotalLength);
        var produced = 0;
        while (_pendingNext < _pendingPlan.Count && index + produced < buffers.Length)
        {
            sizes[index + produced] = GsoSegmenter.WriteSegment(_pendingPlan, packet, _pendingNext, buffers[index + produced].AsSpan(offset));
            produced++;
            _pendingNext++;
        }
        return produced;
    }

    private static byte[] NewBuffer() => GC.AllocateUninitializedArray<byte>(PacketBuffers.BufferSize, pinned: true);

    private void WriteOpen(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset)
    {
        if (_vnet)
        {
            WriteWithHeaders(buffers, sizes, count, offset);
            return;
        }
        for (var i = 0; i < count; i++)
        {
            fixed (byte* packet = &buffers[i][offset])
            {
                if (Interop.Write(_tun, packet, (nuint)sizes[i]) < 0 && IsDeletedError(Marshal.GetLastPInvokeError()))
                {
                    _closed.TrySetResult();
                    return;
                }
            }
        }
    }

    /// <summary>Joins what can be joined and writes every packet behind its virtio-net header.</summary>
    private void WriteWithHeaders(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset)
    {
        if (offset < VirtioNetHeader.Size)
        {
            var scratch = t_writeScratch ??= NewBuffer();
            for (var i = 0; i < count; i++)
            {
                scratch.AsSpan(0, VirtioNetHeader.Size).Clear();
                buffers[i].AsSpan(offset, sizes[i]).CopyTo(scratch.AsSpan(VirtioNetHeader.Size));
                if (!WritePacket(scratch, 0, VirtioNetHeader.Size + sizes[i]))
                {
                    return;
                }
            }
            return;
        }
        var writeSizes = t_writeSizes is { } cached && cached.Length >= count ? cached : t_writeSizes = new int[Math.Max(count, 128)];
        var coalescer = t_coalescer ??= new TunCoalescer();
        // A device batch is at most 128 packets; a larger one (never from the device) is written without joining.
        var join = count <= 128;
        coalescer.Coalesce(buffers, sizes, count, offset, writeSizes, join && _coalesceTcp, join && _coalesceUdp);
        var vectors = stackalloc Interop.IoVec[count];
        for (var first = 0; first < count; first += 128)
        {
            var length = Math.Min(128, count - first);
            var pins = new PinnedBuffers(buffers, first, length);
            try
            {
                for (var i = first; i < first + length; i++)
                {
                    if (writeSizes[i] == 0)
                    {
                        continue;
                    }
                    // The head (virtio-net header and packet), then each joined packet's payload: one gathering write.
                    vectors[0] = new Interop.IoVec { Base = pins.Address(i - first) + offset - VirtioNetHeader.Size, Length = (nuint)(VirtioNetHeader.Size + sizes[i]) };
                    var vectorCount = 1;
                    var headerLength = writeSizes[i] == VirtioNetHeader.Size + sizes[i] ? 0 : TunCoalescer.HeaderLength(buffers[i].AsSpan(offset, sizes[i]));
                    for (var member = coalescer.NextMember(i); member >= 0; member = coalescer.NextMember(member))
                    {
                        vectors[vectorCount++] = new Interop.IoVec { Base = pins.Address(member) + offset + headerLength, Length = (nuint)(sizes[member] - headerLength) };
                    }
                    if (Interop.Writev(_tun, vectors, vectorCount) < 0 && IsDeletedError(Marshal.GetLastPInvokeError()))
                    {
                        _closed.TrySetResult();
                        return;
                    }
                }
            }
            finally
            {
                pins.Dispose();
            }
        }
    }

    /// <summary>Writes one packet; false once the device is gone.</summary>
    private bool WritePacket(byte[] buffer, int start, int length)
    {
        fixed (byte* packet = &buffer[start])
        {
            if (Interop.Write(_tun, packet, (nuint)length) < 0 && IsDeletedError(Marshal.GetLastPInvokeError()))
            {
                _closed.TrySetResult();
                return false;
            }
        }
        return true;
    }

    /// <summary>Waits for a packet; false once the device is closed or deleted.</summary>
    private bool WaitReadable()
    {
        var fds = stackalloc Interop.PollFd[2];
        fds[0] = new Interop.PollFd { Fd = (int)_tun.DangerousGetHandle(), Events = Interop.POLLIN };
        fds[1] = new Interop.PollFd { Fd = (int)_wake.DangerousGetHandle(), Events = Interop.POLLIN };
        while (Interop.Poll(fds, 2, -1) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Interop.EINTR)
            {
                throw LastError("poll tun");
            }
        }
        if (fds[1].Revents != 0)
        {
            return false;
        }
        if ((fds[0].Revents & (Interop.POLLERR | Interop.POLLHUP | Interop.POLLNVAL)) != 0)
        {
            _closed.TrySetResult();
            return false;
        }
        return true;
    }

    /// <summary>Reads one packet to <c>buffer[offset..]</c>; -1 when none is waiting or the device is gone.</summary>
    private int ReadOne(byte[] buffer, int offset)
    {
        while (true)
        {
            nint length;
            fixed (byte* destination = &buffer[offset])
            {
                length = Interop.Read(_tun, destination, (nuint)(buffer.Length - offset));
            }
            if (length >= 0)
            {
                return (int)length;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.EINTR)
            {
                continue;
            }
            if (errno != Interop.EAGAIN)
            {
                _closed.TrySetResult();
            }
            return -1;
        }
    }

    private void WatchForDeletion()
    {
        try
        {
            WaitForDeletion();
        }
        catch (ObjectDisposedException)
        {
        }
        _closed.TrySetResult();
    }

    /// <summary>
    /// A poll without POLLIN is not woken by the tun's detach (the wake-up is keyed POLLIN), so the watcher
    /// asks the kernel every <see cref="DeletionCheckInterval"/> whether the descriptor is still attached.
    /// </summary>
    private void WaitForDeletion()
    {
        using var lease = new DescriptorLease(_tun, _wake);
        var wake = new Interop.PollFd { Fd = (int)_wake.DangerousGetHandle(), Events = Interop.POLLIN };
        while (true)
        {
            var ready = Interop.Poll(&wake, 1, (int)DeletionCheckInterval.TotalMilliseconds);
            if (ready > 0)
            {
                return;
            }
            var request = default(Interop.IfReq);
            if (Interop.Ioctl(_tun, Interop.TUNGETIFF, &request) != 0 && IsDeletedError(Marshal.GetLastPInvokeError()))
            {
                return;
            }
            RefreshMtu();
        }
    }

    private static bool IsDeletedError(int errno) => errno is Interop.EBADFD or Interop.EIO;

    private static Interop.IfReq NamedRequest(string name)
    {
        var request = default(Interop.IfReq);
        Encoding.UTF8.GetBytes(name, new Span<byte>(request.Name, Interop.IFNAMSIZ - 1));
        return request;
    }

    private static Win32Exception LastError(string operation)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new Win32Exception(errno, $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Wakes every pending read (they return 0), completes <see cref="Closed"/> and releases the descriptor.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        ulong one = 1;
        Interop.Write(_wake, (byte*)&one, sizeof(ulong));
        _closed.TrySetResult();
        _tun.Dispose();
        _control.Dispose();
        _wake.Dispose();
    }
}
