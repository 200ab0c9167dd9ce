using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Sitewire.Text;

namespace Sitewire.Tunnel.Io.Linux;

/// <summary>
/// A Linux TUN interface (<c>/dev/net/tun</c>, IFF_TUN | IFF_NO_PI): raw IP packets, no header.
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
    private int _lastMtu;
    private int _disposed;

    private TunDevice(SafeFileDescriptor tun, SafeFileDescriptor wake, Socket control, string name, int mtu)
    {
        _tun = tun;
        _wake = wake;
        _control = control;
        Name = name;
        _lastMtu = mtu;
        new Thread(WatchForDeletion) { IsBackground = true, Name = $"tun {name} watcher" }.Start();
    }

    public string Name { get; }

    /// <summary>The interface's MTU, read from the kernel; the last value known once the interface left this namespace.</summary>
    public int Mtu
    {
        get
        {
            var request = NamedRequest(Name);
            try
            {
                if (Interop.Ioctl(_control.SafeHandle, Interop.SIOCGIFMTU, &request) == 0)
                {
                    _lastMtu = request.Mtu;
                }
            }
            catch (ObjectDisposedException)
            {
            }
            return _lastMtu;
        }
    }

    public int BatchSize => 128;

    public Task Closed => _closed.Task;

    /// <summary>Creates (or attaches to) the TUN interface <paramref name="name"/> and sets its MTU.</summary>
    public static TunDevice Create(string name, int mtu = DefaultMtu)
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
            request.Flags = Interop.IFF_TUN | Interop.IFF_NO_PI;
            if (Interop.Ioctl(tun, Interop.TUNSETIFF, &request) != 0)
            {
                throw LastError($"TUNSETIFF {DisplayText.Escape(name)}");
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
            return new TunDevice(tun, wake, control, actualName, mtu);
        }
        catch
        {
            tun.Dispose();
            wake?.Dispose();
            control?.Dispose();
            throw;
        }
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
            if (!WaitReadable())
            {
                return 0;
            }
            var count = 0;
            while (count < buffers.Length)
            {
                var length = ReadOne(buffers[count], offset);
                if (length < 0)
                {
                    break;
                }
                sizes[count++] = length;
            }
            if (count > 0 || _closed.Task.IsCompleted)
            {
                return count;
            }
        }
    }

    private void WriteOpen(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset)
    {
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

    /// <summary>Reads one packet; -1 when none is waiting or the device is gone.</summary>
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
