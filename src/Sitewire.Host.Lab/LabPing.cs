using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sitewire.Host.Lab;

/// <summary>
/// ping(8) from a lab host every 100 ms with each reply's timestamp (-D), bounded by a deadline (-w): the gaps in its
/// replies are the traffic a switch lost. Stopped by PID.
/// </summary>
public sealed partial class LabPing : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly List<(DateTimeOffset At, DateTimeOffset SentAt, int Sequence)> _replies = [];

    public LabPing(LabState state, string from, string to, TimeSpan deadline)
    {
        _process = LabExec.Start(state, from, ["ping", "-D", "-n", "-i", "0.1", "-W", "1", "-w", ((int)deadline.TotalSeconds).ToString(CultureInfo.InvariantCulture), to]);
        _process.OutputDataReceived += (_, data) => Record(data.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// When the reply to the first echo sent at or after <paramref name="since"/> arrived (an echo already on its way then
    /// does not count: its reply says nothing of the path after), waited for at most <paramref name="timeout"/>.
    /// </summary>
    public DateTimeOffset? FirstReplyAfter(DateTimeOffset since, TimeSpan timeout)
    {
        DateTimeOffset? found = null;
        LabWait.Until(() => (found = Replies().Where(reply => reply.SentAt >= since).Select(reply => reply.At).FirstOrDefault()) != default(DateTimeOffset), timeout);
        return found == default(DateTimeOffset) ? null : found;
    }

    /// <summary>
    /// Echoes that got no reply among those sent after the last reply before <paramref name="from"/> and before the first
    /// reply at or after <paramref name="to"/> (-1 when no reply brackets the span).
    /// </summary>
    public int LostBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var replies = Replies().Where(reply => reply.At >= from && reply.At < to).ToList();
        var before = Replies().LastOrDefault(reply => reply.At < from);
        var after = Replies().FirstOrDefault(reply => reply.At >= to);
        if (before == default || after == default)
        {
            return -1;
        }
        return after.Sequence - before.Sequence - 1 - replies.Count;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.WaitForExit();
        _process.Dispose();
    }

    private List<(DateTimeOffset At, DateTimeOffset SentAt, int Sequence)> Replies()
    {
        lock (_replies)
        {
            return [.. _replies];
        }
    }

    private void Record(string? line)
    {
        if (line is null || ReplyLine().Match(line) is not { Success: true } match)
        {
            return;
        }
        var seconds = decimal.Parse(match.Groups["time"].Value, CultureInfo.InvariantCulture);
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        var roundTrip = TimeSpan.FromMilliseconds(double.Parse(match.Groups["rtt"].Value, CultureInfo.InvariantCulture));
        lock (_replies)
        {
            _replies.Add((at, at - roundTrip, int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture)));
        }
    }

    [GeneratedRegex(@"^\[(?<time>\d+\.\d+)\] \d+ bytes from .*icmp_seq=(?<seq>\d+) .*time=(?<rtt>\d+(\.\d+)?) ms")]
    private static partial Regex ReplyLine();
}
