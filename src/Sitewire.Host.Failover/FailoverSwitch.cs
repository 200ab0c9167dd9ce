namespace Sitewire.Host.Failover;

/// <summary>The carried prefixes moved from one relay to another, when and why: the agent's one log line per switch.</summary>
public sealed record FailoverSwitch(string From, string To, string Reason, DateTimeOffset At)
{
    public override string ToString() => $"failover: {From} -> {To} ({Reason})";
}
