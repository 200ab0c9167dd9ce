namespace Sitewire.Daemon;

/// <summary>wireguard-go's exit codes, plus the conventional 2 for a command line that does not parse.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int SetupFailed = 1;
    public const int Usage = 2;
}
