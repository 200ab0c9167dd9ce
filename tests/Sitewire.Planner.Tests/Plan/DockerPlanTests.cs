using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>`docker: true`: the forward accepts go into Docker's DOCKER-USER chain with iptables, per OS family; `docker_user: false` leaves it alone.</summary>
public sealed class DockerPlanTests
{
    private static NodePlan Node(string name, Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(PlanFixtures.Example("docker.yaml"));
        var loaded = TopologyLoader.LoadText(edit is null ? text : edit(text), "docker.yaml");
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        return NetworkPlanner.Plan(loaded.Topology!, new PlanOptions(), PlanFixtures.TestKeys(loaded.Topology!)).NodeNamed(name);
    }

    [Fact]
    public void An_iptables_node_puts_its_forward_accepts_in_docker_user_instead_of_forward_creating_the_chain_when_docker_has_not()
    {
        var home = Node("home");

        Assert.True(home.Rules.Firewall.DockerUser);
        Assert.Contains("iptables -N DOCKER-USER 2>/dev/null || true", home.Hooks.PostUp);
        Assert.Contains("iptables -C DOCKER-USER -i %i -o ens3 -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER -i %i -o ens3 -m comment --comment sitewire-%i -j ACCEPT", home.Hooks.PostUp);
        Assert.Contains("iptables -C DOCKER-USER -i ens3 -o %i -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER -i ens3 -o %i -m comment --comment sitewire-%i -j ACCEPT", home.Hooks.PostUp);
        Assert.Contains("iptables -D DOCKER-USER -i %i -o ens3 -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || true", home.Hooks.PostDown);
        Assert.DoesNotContain(home.Hooks.PostUp, line => line.StartsWith("iptables -C FORWARD", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rhel_node_adds_the_docker_user_accepts_with_iptables_beside_its_firewalld_change_and_removes_them_first()
    {
        var office = Node("office");

        Assert.Contains(office.Hooks.PostUp, line => line.StartsWith("if firewall-cmd --state", StringComparison.Ordinal));
        Assert.Equal(
            ["iptables -N DOCKER-USER 2>/dev/null || true",
             "iptables -C DOCKER-USER -i %i -o ens33 -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER -i %i -o ens33 -m comment --comment sitewire-%i -j ACCEPT",
             "iptables -C DOCKER-USER -i ens33 -o %i -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER -i ens33 -o %i -m comment --comment sitewire-%i -j ACCEPT"],
            office.Hooks.PostUp.TakeLast(3));
        Assert.Equal(
            ["iptables -D DOCKER-USER -i ens33 -o %i -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || true",
             "iptables -D DOCKER-USER -i %i -o ens33 -m comment --comment sitewire-%i -j ACCEPT 2>/dev/null || true"],
            office.Hooks.PostDown.Take(2));
    }

    [Fact]
    public void A_node_without_docker_or_with_docker_user_false_has_no_docker_user_rules()
    {
        var unplanned = Node("office", text => text.Replace("    docker: true\n", "    docker: true\n    docker_user: false\n", StringComparison.Ordinal));
        var seed = NetworkPlanner.Plan(PlanFixtures.Load(PlanFixtures.Example("seed.yaml")), new PlanOptions(), PlanFixtures.TestKeys(PlanFixtures.Load(PlanFixtures.Example("seed.yaml")))).NodeNamed("home");

        Assert.DoesNotContain(unplanned.Hooks.PostUp.Concat(seed.Hooks.PostUp), line => line.Contains("DOCKER-USER", StringComparison.Ordinal));
    }

    [Fact]
    public void The_declared_forward_drops_of_a_docker_node_go_above_its_accepts_in_docker_user()
    {
        var home = Node("home", text => text.Replace("    docker: true\n", "    docker: true\n    drop:\n      - { chain: forward, in: wireguard0, out: ens3, protocol: tcp, port: 445 }\n", StringComparison.Ordinal));

        var drop = Assert.Single(home.Hooks.PostUp, line => line.Contains("-j DROP", StringComparison.Ordinal));
        Assert.StartsWith("iptables -C DOCKER-USER -i %i -o ens3 -p tcp --dport 445 ", drop, StringComparison.Ordinal);
        Assert.True(home.Hooks.PostUp.ToList().IndexOf(drop) > home.Hooks.PostUp.ToList().FindLastIndex(line => line.Contains("-j ACCEPT", StringComparison.Ordinal) && line.Contains("DOCKER-USER", StringComparison.Ordinal)));
    }

    [Fact]
    public void Docker_user_without_docker_is_an_error_naming_the_field()
    {
        var text = File.ReadAllText(PlanFixtures.Example("seed.yaml")).Replace("    nat: masquerade\n\nhosts:", "    nat: masquerade\n    docker_user: false\n\nhosts:", StringComparison.Ordinal);

        var loaded = TopologyLoader.LoadText(text, "seed.yaml");

        var error = Assert.Single(loaded.Diagnostics);
        Assert.Contains("docker_user applies only to a node that runs Docker", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("nodes[2].docker_user", error.ToString(), StringComparison.Ordinal);
    }
}
