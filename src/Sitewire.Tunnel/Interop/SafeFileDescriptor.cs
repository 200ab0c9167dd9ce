using System.Runtime.InteropServices;

namespace Sitewire.Tunnel;

/// <summary>A file descriptor closed exactly once, after the last call using it has returned.</summary>
internal sealed class SafeFileDescriptor : SafeHandle
{
    public SafeFileDescriptor()
        : base(-1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;
}
