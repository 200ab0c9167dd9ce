using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Sitewire.Host.Namespaces;

namespace Sitewire.Tunnel.Tests.Io;

/// <summary>
/// Runs code on a fresh thread that has joined a network namespace (setns affects only the calling
/// thread), so that TUN devices and sockets it creates live there; the thread ends afterwards.
/// </summary>
internal static partial class InNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    public static T Run<T>(NetworkNamespace ns, Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{ns.Name}");
                if (SetNs(handle.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                {
                    throw new InvalidOperationException($"setns {ns.Name}: errno {Marshal.GetLastPInvokeError()}");
                }
                result = action();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int type);
}
