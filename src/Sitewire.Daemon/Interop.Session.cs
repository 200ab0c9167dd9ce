using System.Runtime.InteropServices;

namespace Sitewire.Daemon;

internal static partial class Interop
{
    private const string Library = "libc";

    internal const int O_RDWR = 0x2;

    [LibraryImport(Library, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int oldFd, int newFd);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
