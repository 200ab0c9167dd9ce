using Sitewire.Config.Topology;
using Sitewire.Config.WgQuick;
using Sitewire.Host.Linux;
using Sitewire.Host.Processes;
using Sitewire.Netfilter;

namespace Sitewire.Fuzz;

/// <summary>A wg-quick file: every problem is a diagnostic in the result, never an exception.</summary>
internal static class WgQuickTarget
{
    public static void Run(byte[] input) => _ = WgQuickParser.Parse(FuzzTargets.Utf8(input), "fuzz.conf");
}

/// <summary>A topology file (YAML → model, anchors, aliases, nesting): every problem is a diagnostic, never an exception.</summary>
internal static class TopologyTarget
{
    public static void Run(byte[] input) => _ = TopologyLoader.LoadText(FuzzTargets.Utf8(input), "fuzz.yaml");
}

/// <summary>`iptables-save` output as the doctor reads it; the documented error is <see cref="FormatException"/>.</summary>
internal static class IptablesSaveTarget
{
    public static void Run(byte[] input)
    {
        try
        {
            _ = IptablesSave.Parse(FuzzTargets.Utf8(input), IpFamily.V4.Nft);
        }
        catch (FormatException)
        {
        }
    }
}

/// <summary>
/// `nft -j list ruleset` as the doctor reads it, with iptables-nft's extension tables replaced from an
/// `iptables-save` (the input after the first NUL byte, when there is one); the documented error is <see cref="FormatException"/>.
/// </summary>
internal static class NftJsonTarget
{
    public static void Run(byte[] input)
    {
        var text = FuzzTargets.Utf8(input);
        var split = text.IndexOf('\0', StringComparison.Ordinal);
        var json = split < 0 ? text : text[..split];
        var saved = split < 0 ? null : text[(split + 1)..];
        try
        {
            _ = IptablesNftTables.Read(json, _ => saved);
        }
        catch (FormatException)
        {
        }
    }
}

/// <summary>
/// firewalld as the doctor reads it through `firewall-cmd`: the input's sections, split at lines "--", answer the calls in
/// turn (--state, --get-default-zone, --list-all-zones, --list-all-policies); a section that starts with a digit exits with
/// it. The documented error is <see cref="FormatException"/>.
/// </summary>
internal static class FirewallCmdTarget
{
    public static void Run(byte[] input)
    {
        var answers = new Queue<string>(FuzzTargets.Utf8(input).Split("\n--\n"));
        try
        {
            _ = FirewalldReader.Read(arguments =>
            {
                var answer = answers.Count > 0 ? answers.Dequeue() : "1";
                var exit = answer.Length > 0 && char.IsAsciiDigit(answer[0]) ? answer[0] - '0' : 0;
                return new CommandResult("firewall-cmd " + string.Join(' ', arguments), exit, answer + "\n", "");
            });
        }
        catch (FormatException)
        {
        }
    }
}
