using System.Diagnostics;

namespace Sitewire.E2E.Infrastructure;

/// <summary>Bounded waiting: every wait in the suite has a deadline.</summary>
public static class Poll
{
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
            {
                return true;
            }
            if (clock.Elapsed >= timeout)
            {
                return false;
            }
            Thread.Sleep(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
