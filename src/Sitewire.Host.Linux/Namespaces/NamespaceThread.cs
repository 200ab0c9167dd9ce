using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Namespaces;

/// <summary>
/// Runs code on a dedicated thread that has joined a named network namespace (`/run/netns/NAME`).
/// Sockets created inside keep that namespace after the thread ends, so they can be used from anywhere;
/// writes to /proc/sys/net inside apply to that namespace. Whatever <c>action</c> throws is rethrown unchanged;
/// failing to join the namespace is an <see cref="IOException"/> naming it.
/// </summary>
public static class NamespaceThread
{
    public static T Run<T>(string namespaceName, Func<T> action)
    {
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(namespaceName);
                result = action();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }) { IsBackground = true, Name = "netns " + namespaceName };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    public static void Run(string namespaceName, Action action) => Run(namespaceName, () =>
    {
        action();
        return 0;
    });

    private static void Enter(string namespaceName)
    {
        using var handle = File.OpenHandle(Path.Combine("/run/netns", namespaceName), FileMode.Open, FileAccess.Read);
        if (Interop.SetNs((int)handle.DangerousGetHandle(), Interop.CloneNewNet) != 0)
        {
            throw new IOException($"setns({namespaceName}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
