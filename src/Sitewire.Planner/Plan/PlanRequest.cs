using Sitewire.Config.Topology;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Planner.Plan;

/// <summary>
/// What <c>sitewire plan</c> was asked for: options not given (null) are those the output directory was planned with,
/// else the defaults. <see cref="ReplaceKeys"/> allows a change that deletes or replaces kept keys; <see cref="KeysFrom"/>
/// takes the keys of another plan directory (a new <c>-o</c> that keeps an earlier plan's keys).
/// </summary>
public sealed record PlanRequest(KeyMode? Keys = null, bool? PresharedKeys = null, bool? Ansible = null, bool ReplaceKeys = false, string? KeysFrom = null)
{
    public PlanOptions Resolve(PlanOptions? stored) =>
        new(Keys ?? stored?.Keys ?? KeyMode.Central, PresharedKeys ?? stored?.PresharedKeys ?? false, Ansible ?? stored?.Ansible ?? false);

    /// <summary>The options taken from <paramref name="stored"/> because they were not given, as plan options read.</summary>
    public IEnumerable<string> Reused(PlanOptions stored)
    {
        if (Keys is null)
        {
            yield return $"--keys {(stored.Keys == KeyMode.NodeLocal ? "node-local" : "central")}";
        }
        if (PresharedKeys is null && stored.PresharedKeys)
        {
            yield return "--psk";
        }
        if (Ansible is null && stored.Ansible)
        {
            yield return "--ansible";
        }
    }

    /// <summary>Refusals of a change from <paramref name="stored"/> to <paramref name="wanted"/> that would lose kept keys.</summary>
    public IEnumerable<Diagnostic> KeyLosses(string outputDirectory, PlanOptions stored, PlanOptions wanted)
    {
        if (ReplaceKeys)
        {
            yield break;
        }
        const string Fix = "the option it was planned with (or leave it out: plan reuses it), or --replace-keys to do it";
        if (stored.Keys != wanted.Keys)
        {
            yield return new Diagnostic(SourceLocation.None(outputDirectory), "--keys", stored.Keys == KeyMode.Central
                ? "this directory was planned with central keys: --keys node-local would delete every node's private key kept in it"
                : "this directory was planned with node-local keys: --keys central would make new keys for every node, replacing those on the nodes", Fix);
        }
        if (stored.PresharedKeys && !wanted.PresharedKeys)
        {
            yield return new Diagnostic(SourceLocation.None(outputDirectory), "--psk", "this directory was planned with --psk: without it plan would delete every link's preshared key", Fix);
        }
    }
}
