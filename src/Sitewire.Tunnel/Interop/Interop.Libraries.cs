namespace Sitewire.Tunnel;

internal static partial class Interop
{
    internal const string Library = "libc";

    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int EAGAIN = 11;
    internal const int EBADFD = 77;
}
