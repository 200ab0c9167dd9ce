using System.Runtime.InteropServices;

namespace Sitewire.Tunnel;

internal static partial class Interop
{
    internal const int ENOENT = 2;
    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const uint STATX_TYPE = 0x1;

    internal const int S_IFMT = 0xF000;
    internal const int S_IFSOCK = 0xC000;
    internal const int S_IFLNK = 0xA000;
    internal const int S_IFREG = 0x8000;
    internal const int S_IFDIR = 0x4000;

    /// <summary>Size of <c>struct statx</c>, the same on every architecture.</summary>
    internal const int StatxSize = 256;

    /// <summary>Offset of the 16-bit <c>stx_mode</c> in <c>struct statx</c>.</summary>
    internal const int StatxModeOffset = 28;

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The <c>S_IFMT</c> bits of <paramref name="path"/> itself (a symbolic link is not followed), or null when nothing is there.</summary>
    internal static unsafe int? FileTypeOf(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw new IOException($"{path}: cannot read its file type: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return *(ushort*)(buffer + StatxModeOffset) & S_IFMT;
    }
}
