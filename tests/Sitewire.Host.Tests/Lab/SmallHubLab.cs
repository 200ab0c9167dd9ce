using Sitewire.Config.Topology;
using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

/// <summary>A relay, a public site (hq) and a site behind NAT (branch), planned into the lab's blueprint.</summary>
internal static class SmallHubLab
{
    public static string Topology(int? keepalive = null) => $"""
        network:
          overlay: 10.60.0.0/24
          interface: wg0
          shape: hub
          hub: relay
        {(keepalive is { } seconds ? $"  persistent_keepalive: {seconds}" : "")}
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.60:51820
          - name: hq
            role: site
            endpoint: 198.51.100.61:51820
          - name: branch
            role: site
            behind_nat: true
        """;

    public static LabBlueprint Blueprint(string topology)
    {
        var loaded = TopologyLoader.LoadText(topology, "small-hub.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        return PlannedLab.From(loaded.Topology).Blueprint;
    }
}
