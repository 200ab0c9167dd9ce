using System.Diagnostics;

namespace Sitewire.Tunnel.Tests.Uapi;

/// <summary>The lines a running daemon writes to its standard error, collected as they arrive.</summary>
internal sealed class DaemonLogLines
{
    private readonly List<string> _lines = [];

    public DaemonLogLines(Process daemon)
    {
        daemon.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        };
        daemon.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public bool Contains(string text) => Lines.Any(line => line.Contains(text, StringComparison.Ordinal));
}
