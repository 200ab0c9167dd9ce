using System.Net;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

public sealed class OverlayAddressAllocatorTests
{
    private static readonly IPNetwork Overlay = IPNetwork.Parse("10.0.0.0/24");

    [Fact]
    public void Assignment_does_not_depend_on_the_order_of_the_names()
    {
        string[] names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];

        var forward = OverlayAddressAllocator.Assign(Overlay, [], names)!;
        var backward = OverlayAddressAllocator.Assign(Overlay, [], names.Reverse())!;

        Assert.All(names, name => Assert.Equal(forward[name], backward[name]));
    }

    [Fact]
    public void Adding_a_node_keeps_the_addresses_of_the_others_when_slots_do_not_collide()
    {
        string[] names = ["alpha", "bravo", "charlie"];
        var before = OverlayAddressAllocator.Assign(Overlay, [], names)!;

        var after = OverlayAddressAllocator.Assign(Overlay, [], [.. names, "delta"])!;

        Assert.All(names, name => Assert.Equal(before[name], after[name]));
        Assert.Equal(4, after.Values.Distinct().Count());
    }

    [Fact]
    public void Declared_addresses_are_never_handed_out_and_the_network_and_broadcast_addresses_are_skipped()
    {
        var small = IPNetwork.Parse("10.0.0.0/29");
        var declared = new[] { IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2") };

        var assigned = OverlayAddressAllocator.Assign(small, declared, ["a", "b", "c", "d"])!;

        Assert.Equal(4, assigned.Values.Distinct().Count());
        Assert.All(assigned.Values, address =>
        {
            Assert.DoesNotContain(address, declared);
            Assert.NotEqual(IPAddress.Parse("10.0.0.0"), address);
            Assert.NotEqual(IPAddress.Parse("10.0.0.7"), address);
            Assert.True(small.Contains(address));
        });
    }

    [Fact]
    public void A_full_prefix_yields_null()
    {
        Assert.Null(OverlayAddressAllocator.Assign(IPNetwork.Parse("10.0.0.0/30"), [], ["a", "b", "c"]));
    }
}
