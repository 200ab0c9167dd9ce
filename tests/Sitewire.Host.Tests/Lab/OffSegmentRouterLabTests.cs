using Sitewire.Config.Diagnostics;
using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// Issue 14's file: a host in the routed subnet 10.162.0.0/24 (behind the LAN router 10.62.0.254) names the router's LAN
/// side as its router. The lab died with `ip -batch` "Nexthop has invalid gateway"; it now refuses the file with the
/// loader's diagnostic at the router field, as verify does, before building anything.
/// </summary>
public class OffSegmentRouterLabTests
{
    private const string Topology = """
        network:
          overlay: 10.200.0.0/24
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
          - name: office
            role: site
            behind_nat: true
            lan:
              interface: eth0
              address: 10.62.0.1/24
              subnets: [10.62.0.0/24, {prefix: 10.162.0.0/24, via: 10.62.0.254}]
        hosts:
          - name: cam
            site: office
            address: 10.162.0.9
            gateway: router-with-route
            router: 10.62.0.254
            services: [80/tcp]
        flows:
          - from: office
            to: cam:80/tcp
        """;

    [Fact]
    public void The_lab_refuses_a_router_off_the_hosts_segment_with_the_loaders_diagnostic()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sitewire-offsegment-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Topology);
        try
        {
            var refused = Assert.Throws<DiagnosticsException>(() => PlannedLab.Load(path));

            var diagnostic = Assert.Single(refused.Diagnostics);
            Assert.Equal(("hosts[0].router", 21, 13), (diagnostic.Field, diagnostic.Location.Line, diagnostic.Location.Column));
            Assert.Contains("cam (10.162.0.9) is on 10.162.0.0/24 (behind the LAN router 10.62.0.254)", diagnostic.Message, StringComparison.Ordinal);
            Assert.Contains("10.162.0.1 to 10.162.0.254", diagnostic.Expected, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void With_the_router_on_the_hosts_segment_it_builds()
    {
        var loaded = Sitewire.Config.Topology.TopologyLoader.LoadText(Topology.Replace("router: 10.62.0.254", "router: 10.162.0.254", StringComparison.Ordinal), "t.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));

        var blueprint = PlannedLab.From(loaded.Topology).Blueprint;

        Assert.Empty(KernelNetworkModel.Errors(blueprint));
        Assert.Contains(blueprint.Host("cam").Routes, r => r is { Destination: "default", Via: "10.162.0.254" });
    }

    [Fact]
    public void The_kernel_model_reports_what_the_lab_met_when_such_a_topology_slips_past_the_loader()
    {
        var loaded = Sitewire.Config.Topology.TopologyLoader.LoadText(Topology.Replace("router: 10.62.0.254", "router: 10.162.0.254", StringComparison.Ordinal), "t.yaml");
        Assert.True(loaded.Succeeded);
        var cam = loaded.Topology.Hosts[0] with { Router = System.Net.IPAddress.Parse("10.62.0.254") };
        var pastTheLoader = loaded.Topology with { Hosts = [cam] };

        var errors = KernelNetworkModel.Errors(PlannedLab.From(pastTheLoader).Blueprint);

        Assert.Contains("cam: route add default via 10.62.0.254 dev eth0: Error: Nexthop has invalid gateway.", errors);
    }
}
