using System.Globalization;
using System.Text;
using Sitewire.Text;

namespace Sitewire.Daemon;

/// <summary>
/// wireguard-go's log lines on stderr: <c>DEBUG: (wg0) 2026/01/02 15:04:05 text</c> and <c>ERROR: ...</c>,
/// selected by LOG_LEVEL (verbose or debug, error, silent; default error). Callers never pass key material, and pass
/// anything a user or the network supplied through <see cref="DisplayText"/>; the interface name is escaped here.
/// Lines go straight to descriptor 2 (not through Console, which keeps its own duplicate of it), so that a
/// detached daemon that points stderr at /dev/null holds no pipe of the process that started it.
/// </summary>
internal sealed class DaemonLog
{
    private readonly string _prefix;
    private readonly Lock _lock = new();

    public DaemonLog(string interfaceName, LogLevel level)
    {
        _prefix = $"({DisplayText.Escape(interfaceName)}) ";
        Level = level;
    }

    public LogLevel Level { get; }

    public static LogLevel LevelFromEnvironment(string? value) => value switch
    {
        "verbose" or "debug" => LogLevel.Verbose,
        "silent" => LogLevel.Silent,
        _ => LogLevel.Error,
    };

    public void Verbose(string message)
    {
        if (Level >= LogLevel.Verbose)
        {
            Write("DEBUG: ", message);
        }
    }

    public void Error(string message)
    {
        if (Level >= LogLevel.Error)
        {
            Write("ERROR: ", message);
        }
    }

    private void Write(string severity, string message)
    {
        var time = DateTime.Now.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
        var line = Encoding.UTF8.GetBytes($"{severity}{_prefix}{time} {message}\n");
        lock (_lock)
        {
            Interop.WriteAll(Interop.StandardError, line);
        }
    }
}

internal enum LogLevel
{
    Silent,
    Error,
    Verbose,
}
