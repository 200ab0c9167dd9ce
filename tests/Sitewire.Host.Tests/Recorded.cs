namespace Sitewire.Host.Tests;

/// <summary>Command output recorded from a seed lab (office: iptables-nft rules from the planner; relay: two peers).</summary>
internal static class Recorded
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", name));
}
