using Sitewire.Host.Failover;

namespace Sitewire.Host.Tests.Failover;

/// <summary>The agent's decisions, one probe round per second of a fake clock (the default timings: 3 misses, 10 s hold-down).</summary>
public sealed class FailoverDeciderTests
{
    private readonly FailoverDecider _decider = new(FailoverFixtures.TwoRelays());
    private int _second;

    /// <summary>Feeds one round per character pair ('1' answered, '0' not) for relay-a and relay-b; the switches it caused, by second.</summary>
    private List<(int Second, FailoverSwitch Switch)> Rounds(string relayA, string relayB)
    {
        Assert.Equal(relayA.Length, relayB.Length);
        var switches = new List<(int, FailoverSwitch)>();
        for (var index = 0; index < relayA.Length; index++, _second++)
        {
            var now = FailoverFixtures.Start.AddSeconds(_second);
            if (_decider.Observe([relayA[index] == '1', relayB[index] == '1'], now) is { } change)
            {
                switches.Add((_second, change));
            }
        }
        return switches;
    }

    [Fact]
    public void While_both_relays_answer_the_preferred_one_keeps_the_traffic()
    {
        Assert.Empty(Rounds(new string('1', 120), new string('1', 120)));
        Assert.Equal(0, _decider.Active);
    }

    [Fact]
    public void The_third_unanswered_probe_in_a_row_moves_the_traffic_to_the_standby()
    {
        var switches = Rounds("11000", "11111");

        var (second, change) = Assert.Single(switches);
        Assert.Equal(4, second);
        Assert.Equal(("relay-a", "relay-b", "relay-a: 3 probes unanswered"), (change.From, change.To, change.Reason));
        Assert.Equal("failover: relay-a -> relay-b (relay-a: 3 probes unanswered)", change.ToString());
        Assert.Equal(1, _decider.Active);
    }

    [Fact]
    public void A_returning_relay_gets_the_traffic_back_only_after_answering_for_the_hold_down()
    {
        Rounds("000", "111");
        var back = Rounds("11111111111" + "1", "11111111111" + "1");

        var (second, change) = Assert.Single(back);
        Assert.Equal(3 + 10, second);
        Assert.Equal(("relay-b", "relay-a", "relay-a answered every probe for 10 s"), (change.From, change.To, change.Reason));
    }

    [Fact]
    public void A_miss_during_the_hold_down_starts_it_again()
    {
        Rounds("000", "111");
        Assert.Empty(Rounds("111111111" + "0" + "111111111", new string('1', 19)));
        var back = Rounds("11", "11");

        Assert.Equal(13 + 10, Assert.Single(back).Second);
    }

    [Fact]
    public void A_link_that_drops_every_other_second_never_switches_either_way()
    {
        Assert.Empty(Rounds(string.Concat(Enumerable.Repeat("10", 60)), new string('1', 120)));
        Assert.Equal(0, _decider.Active);

        Rounds("000", "111");
        Assert.Empty(Rounds(string.Concat(Enumerable.Repeat("10", 60)), new string('1', 120)));
        Assert.Equal(1, _decider.Active);
    }

    [Fact]
    public void With_no_relay_answering_the_traffic_stays_where_it_is()
    {
        Assert.Empty(Rounds("0000000000", "0000000000"));
        Assert.Equal(0, _decider.Active);
    }

    [Fact]
    public void When_the_standby_is_down_too_the_preferred_one_keeps_the_traffic_and_the_standby_must_hold_down_first()
    {
        Rounds("111", "000");
        var switches = Rounds("000" + new string('0', 10), "111" + new string('1', 10));

        var (second, change) = Assert.Single(switches);
        Assert.Equal(3 + 10, second);
        Assert.Equal("relay-b", change.To);
    }
}
