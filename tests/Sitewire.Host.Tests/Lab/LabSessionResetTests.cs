using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// Which sessions the lab resets before each flow (issue 16, class 6): both ends of every pair where one node dials the
/// other without keepalive and the other has no endpoint for it, so only an earlier flow could have opened it. Sessions
/// kept up by a keepalive, and pairs that dial each other, are left alone, and such designs keep running in parallel.
/// </summary>
public class LabSessionResetTests
{
    [Fact]
    public void Without_keepalive_a_site_behind_nat_and_its_relay_forget_each_other_before_each_flow()
    {
        var blueprint = SmallHubLab.Blueprint(SmallHubLab.Topology(keepalive: 0));
        var key = Keys(blueprint);

        var forgotten = LabSessionReset.Forgotten(blueprint.Tunnels);

        Assert.Equal(["branch", "relay"], forgotten.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([key["relay"]], forgotten["branch"]);
        Assert.Equal([key["branch"]], forgotten["relay"]);
    }

    [Fact]
    public void Kept_up_sessions_and_nodes_that_dial_each_other_need_no_reset()
    {
        Assert.Empty(LabSessionReset.Forgotten(SmallHubLab.Blueprint(SmallHubLab.Topology(keepalive: 25)).Tunnels));
    }

    private static Dictionary<string, string> Keys(LabBlueprint blueprint) =>
        blueprint.Tunnels.ToDictionary(
            t => t.Host,
            t => t.Config.Interface.PrivateKey!.Value.PublicKey().ToBase64());
}
