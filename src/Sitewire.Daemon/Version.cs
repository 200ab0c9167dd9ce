namespace Sitewire.Daemon;

internal static class Version
{
    public const string Text = "0.1.0";
}
