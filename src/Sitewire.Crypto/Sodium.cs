namespace Sitewire.Crypto;

internal static class Sodium
{
    private static readonly bool Initialized = Interop.SodiumInit() >= 0;

    internal static void EnsureInitialized()
    {
        if (!Initialized)
        {
            throw new InvalidOperationException("libsodium failed to initialise");
        }
    }
}
