namespace Sitewire.Daemon;

/// <summary>wireguard-go's command line: <c>[-f|--foreground] INTERFACE-NAME</c>, or <c>--version</c> alone.</summary>
internal sealed record DaemonArguments(string InterfaceName, bool Foreground, bool Version)
{
    public const string Usage = "Usage: sitewired [-f/--foreground] INTERFACE-NAME\n\n" +
        "Environment:\n" +
        "  SITEWIRED_METRICS=ADDRESS:PORT   serve Prometheus metrics at http://ADDRESS:PORT/metrics (off by default)\n" +
        "  SITEWIRED_METRICS_SOCKET=PATH    serve the same over a Unix socket at PATH (mode 0600)";

    /// <summary>The parsed arguments, or null when they do not fit the usage.</summary>
    public static DaemonArguments? Parse(string[] args) => args switch
    {
        ["--version"] => new DaemonArguments("", false, true),
        ["-f" or "--foreground", var name] when IsName(name) => new DaemonArguments(name, true, false),
        [var name] when IsName(name) => new DaemonArguments(name, false, false),
        _ => null,
    };

    private static bool IsName(string name) => name.Length > 0 && !name.StartsWith('-');
}
