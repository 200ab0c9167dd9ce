using System.Diagnostics;

namespace Sitewire.Host.Lab;

/// <summary>Bounded polling: true as soon as the condition holds, false once the limit passed without it.</summary>
internal static class LabWait
{
    public static bool Until(Func<bool> condition, TimeSpan limit, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }
            Thread.Sleep(interval ?? TimeSpan.FromMilliseconds(20));
        }
        return true;
    }
}
