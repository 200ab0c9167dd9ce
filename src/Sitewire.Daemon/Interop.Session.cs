using System.Runtime.InteropServices;

namespace Sitewire.Daemon;

internal static partial class Interop
{
    private const string Library = "libc";

    internal const int O_RDWR = 0x2;
    internal const int EINTR = 4;
    internal const int StandardOutput = 1;
    internal const int StandardError = 2;

    [LibraryImport(Library, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();

    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int oldFd, int newFd);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="fd"/>, giving up silently on an error (a closed log pipe).</summary>
    internal static unsafe void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            for (var written = 0; written < bytes.Length;)
            {
                var result = Write(fd, start + written, (nuint)(bytes.Length - written));
                if (result <= 0)
                {
                    if (result < 0 && Marshal.GetLastPInvokeError() == EINTR)
                    {
                        continue;
                    }
                    return;
                }
                written += (int)result;
            }
        }
    }
}
