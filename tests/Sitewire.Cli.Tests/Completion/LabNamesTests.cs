using Sitewire.Cli.Completion;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Tests.Completion;

/// <summary>`lab exec` completes the hosts of the lab it would enter; without a lab, the topology in the current directory.</summary>
public class LabNamesTests
{
    private static LabState Lab(string id, bool keep, params string[] hosts) => new()
    {
        Id = id,
        Name = "t",
        OwnerPid = 1,
        OwnerCommandLine = "sitewire lab",
        Keep = keep,
        Namespaces = hosts.ToDictionary(host => host, host => $"sitewire-{id}-{host}"),
    };

    [Fact]
    public void The_hosts_of_the_kept_lab_are_offered_when_no_lab_is_named()
    {
        using var directory = new CompletionDirectory();
        IReadOnlyList<LabState> labs = [Lab("aaaa", keep: true, "office", "web"), Lab("bbbb", keep: false, "pc")];

        Assert.Equal(["office", "web"], LabNames.HostNames(labs, null, directory.Path));
        Assert.Equal(["pc"], LabNames.HostNames(labs, "bbbb", directory.Path));
        Assert.Empty(LabNames.HostNames(labs, "cccc", directory.Path));
    }

    [Fact]
    public void Without_a_lab_the_topology_of_the_directory_names_the_hosts()
    {
        using var directory = new CompletionDirectory();
        directory.Write("site.yaml", CompletionDirectory.Topology);

        Assert.Equal(["pad", "web", "relay", "office", "home"], LabNames.HostNames([], null, directory.Path));
    }
}
