using System.Runtime.InteropServices;

namespace Sitewire.Host.Linux;

internal static partial class Interop
{
    public const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nsType);
}
