using System.Runtime.InteropServices;

namespace Sitewire.Fuzz;

/// <summary>Running inputs outside afl-fuzz.</summary>
internal static class Replay
{
    /// <summary>
    /// Gives the coverage hooks that sharpfuzz weaves into instrumented assemblies a map to write to (afl-fuzz's shared
    /// memory is not there), so an input replays on artifacts/fuzz/bin as on the plain build.
    /// </summary>
    public static unsafe void AllowInstrumentedCode()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(1 << 16);
        }
    }
}
