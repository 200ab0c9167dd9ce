using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Creates sockets inside a network namespace from within the test process: a dedicated thread joins the
/// namespace with setns(2) and opens the socket there. A socket belongs to the namespace it was created in,
/// so it may then be used from any thread.
/// </summary>
public static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    public static Socket Create(NetworkNamespace networkNamespace, AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{networkNamespace.Name}");
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into {networkNamespace.Name}");
                }
                socket = new Socket(family, type, protocol);
            }
            catch (Exception exception) when (exception is IOException or Win32Exception or SocketException or UnauthorizedAccessException)
            {
                failure = exception;
            }
        })
        {
            IsBackground = true,
            Name = $"netns {networkNamespace.Name}",
        };
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"could not open a socket in {networkNamespace.Name}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int namespaceType);
}
