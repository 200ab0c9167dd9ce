using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>A node's planned PostUp insert of one forward accept, as wg-quick runs it (`%i` expanded, comment included), and the command deleting it.</summary>
internal sealed record PlannedForwardAccept(string[] Insert)
{
    public string[] Delete => [.. Insert.Select(a => a == "-I" ? "-D" : a)];

    /// <summary>The rule as `iptables -S` lists it.</summary>
    public string Listed => "-A " + string.Join(' ', Insert[2..]);

    /// <param name="command">`iptables` or `ip6tables`.</param>
    public static PlannedForwardAccept Of(PlannedLab planned, string node, string command, string inInterface, string outInterface)
    {
        var postUp = planned.Plan.Nodes.Single(n => n.Name == node).Config.Interface.PostUp;
        var tunnel = planned.Plan.InterfaceName;
        var prefix = string.Join(' ', new[] { command, "-I", "FORWARD", "-i", inInterface, "-o", outInterface }.Select(t => t == tunnel ? "%i" : t)) + " ";
        var insert = Assert.Single(postUp.Select(line => line[(line.IndexOf("|| ", StringComparison.Ordinal) + 3)..]), line => line.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Contains("--comment", insert, StringComparison.Ordinal);
        return new PlannedForwardAccept(insert.Replace("%i", tunnel, StringComparison.Ordinal).Split(' '));
    }
}
