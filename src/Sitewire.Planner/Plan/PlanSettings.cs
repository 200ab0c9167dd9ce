using Sitewire.Config.Topology;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Plan;

/// <summary>
/// The options a plan directory was made with, kept in its marker file (<see cref="PlanOutputBuilder.MarkerFile"/>) so
/// the next plan into it reuses them. A directory planned before they were kept tells them by its key files: private
/// keys mean central keys, preshared key files mean <c>--psk</c>.
/// </summary>
public static class PlanSettings
{
    public static string MarkerText(PlanOptions options) =>
        "Output of `sitewire plan`; plan replaces this directory as a whole.\n" +
        "The options it was made with, reused by the next `sitewire plan` into this directory:\n" +
        $"keys: {(options.Keys == KeyMode.NodeLocal ? "node-local" : "central")}\n" +
        $"psk: {(options.PresharedKeys ? "true" : "false")}\n" +
        $"ansible: {(options.Ansible ? "true" : "false")}\n";

    /// <summary>The options of the plan output in <paramref name="directory"/>, or null when it holds none.</summary>
    public static PlanOptions? Read(string directory)
    {
        var marker = Path.Combine(directory, PlanOutputBuilder.MarkerFile);
        if (!File.Exists(marker))
        {
            return null;
        }
        var values = File.ReadLines(marker)
            .Select(line => line.Split(": ", 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var keysFolder = Path.Combine(directory, KeyDirectory.FolderName);
        var keys = values.GetValueOrDefault("keys") switch
        {
            "node-local" => KeyMode.NodeLocal,
            "central" => KeyMode.Central,
            _ => Directory.Exists(keysFolder) && Directory.EnumerateFiles(keysFolder, "*.key").Any() ? KeyMode.Central : KeyMode.NodeLocal,
        };
        var preshared = values.TryGetValue("psk", out var psk)
            ? psk == "true"
            : Directory.Exists(Path.Combine(keysFolder, "psk")) && Directory.EnumerateFiles(Path.Combine(keysFolder, "psk"), "*.psk").Any();
        return new PlanOptions(keys, preshared, values.GetValueOrDefault("ansible") == "true");
    }
}
