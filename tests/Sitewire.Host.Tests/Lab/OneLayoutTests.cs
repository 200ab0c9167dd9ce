using CsCheck;
using Sitewire.Config.Topology;
using Sitewire.Host.Lab;
using Sitewire.Planner.Model;
using Sitewire.Planner.Tests.Properties;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// verify's model and the lab are built from one layout value: every host, interface, address and route of the lab's
/// namespaces and of verify's model is the layout's (the lab adds only its switches and its internet router, the model
/// only the tunnels), so there is no second construction path to drift.
/// </summary>
public class OneLayoutTests
{
    [Fact]
    public void The_seed_lab_and_verifys_model_are_the_layout_verify_was_run_on() =>
        AssertBuiltFromTheLayout(PlannedLab.Load(null));

    [Fact]
    public void Every_varied_lan_design_lab_and_model_are_the_layout() =>
        RandomLanDesign.Gen.Sample(design =>
        {
            if (TopologyLoader.LoadText(design.Yaml(), "random.yaml") is { Succeeded: true } loaded)
            {
                AssertBuiltFromTheLayout(PlannedLab.From(loaded.Topology));
            }
        }, iter: 100);

    private static void AssertBuiltFromTheLayout(PlannedLab planned)
    {
        var layout = planned.Layout;
        var model = ModelBuilder.Build(planned.Plan, layout);
        var labInterfaces = planned.Blueprint.Wires.SelectMany(w => new[] { w.A, w.B }).ToLookup(i => i.Host);
        Assert.Equal(layout.Hosts.Select(h => h.Name), model.Hosts.Select(h => h.Name));
        Assert.Equal(
            layout.Hosts.Select(h => h.Name).Order(StringComparer.Ordinal),
            planned.Blueprint.Hosts.Where(h => h.Role is not (LabRole.Switch or LabRole.Internet)).Select(h => h.Name).Order(StringComparer.Ordinal));
        foreach (var host in layout.Hosts)
        {
            var laidOut = host.Interfaces.Select(i => $"{i.Name} {string.Join(",", i.Addresses)}").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(laidOut, labInterfaces[host.Name].Select(i => $"{i.Name} {string.Join(",", i.Addresses)}").Order(StringComparer.Ordinal));
            var modelled = model.Find(host.Name)!;
            Assert.Equal(laidOut, modelled.Interfaces.Where(i => i is not WireGuardInterface).Select(i => $"{i.Name} {string.Join(",", i.Addresses)}").Order(StringComparer.Ordinal));
            Assert.Equal(host.Routes.Select(r => $"{r.Via} {r.Interface} {r.OnLink}"), planned.Blueprint.Host(host.Name).Routes.Select(r => $"{r.Via} {r.Device} {r.OnLink}"));
            Assert.All(host.Routes, r => Assert.True(modelled.Routes.Contains(Prefix.From(r.Destination)), $"{host.Name}: the model lacks the layout's route {r}"));
            Assert.All(host.Interfaces, i => Assert.Equal(i.Segment, modelled.Interface(i.Name)!.Segment!.Name));
            Assert.Equal(host.Firewall, planned.Blueprint.Host(host.Name).Firewall);
        }
    }
}
