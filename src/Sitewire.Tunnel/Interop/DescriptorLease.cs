using System.Runtime.InteropServices;

namespace Sitewire.Tunnel;

/// <summary>
/// Keeps two descriptors open for the duration of a blocking call that uses their raw numbers (poll):
/// a concurrent Dispose then closes them only after the call has returned, so a number is never reused under it.
/// </summary>
internal ref struct DescriptorLease
{
    private readonly SafeHandle _first;
    private readonly SafeHandle _second;
    private bool _firstAdded;
    private bool _secondAdded;

    public DescriptorLease(SafeHandle first, SafeHandle second)
    {
        _first = first;
        _second = second;
        first.DangerousAddRef(ref _firstAdded);
        try
        {
            second.DangerousAddRef(ref _secondAdded);
        }
        catch
        {
            first.DangerousRelease();
            throw;
        }
    }

    public void Dispose()
    {
        if (_firstAdded)
        {
            _first.DangerousRelease();
        }
        if (_secondAdded)
        {
            _second.DangerousRelease();
        }
    }
}
