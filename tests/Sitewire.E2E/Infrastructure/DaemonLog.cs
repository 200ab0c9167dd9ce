using System.Diagnostics;
using System.Text;

namespace Sitewire.E2E.Infrastructure;

/// <summary>Drains a process's stdout and stderr (so a verbose daemon never blocks on a full pipe) and keeps the last lines.</summary>
public sealed class DaemonLog
{
    private const int KeptLines = 300;
    private readonly Queue<string> _lines = new();
    private long _total;
    private string? _watchedAs;

    /// <summary>Hands every line from now on to <see cref="SecretWatch"/> as an output of <paramref name="source"/>.</summary>
    public void WatchForSecrets(string source) => _watchedAs = source;

    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The last <paramref name="count"/> lines, each prefixed.</summary>
    public string Tail(string prefix, int count = 60)
    {
        lock (_lines)
        {
            var text = new StringBuilder();
            if (_total > count)
            {
                text.Append(prefix).Append("... (").Append(_total - Math.Min(count, _lines.Count)).AppendLine(" earlier lines)");
            }
            foreach (var line in _lines.Skip(Math.Max(0, _lines.Count - count)))
            {
                text.Append(prefix).AppendLine(line);
            }
            return text.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (_watchedAs is { } source)
        {
            SecretWatch.Suite.Observe(source, line);
        }
        lock (_lines)
        {
            _total++;
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
