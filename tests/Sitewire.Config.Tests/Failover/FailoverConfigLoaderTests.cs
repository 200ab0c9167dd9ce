using System.Net;
using Sitewire.Config.Failover;

namespace Sitewire.Config.Tests.Failover;

public sealed class FailoverConfigLoaderTests
{
    private const string Valid = """
        interface: wg0
        carried: ["10.200.0.0/24", "10.2.0.0/24", "fd00::/64"]
        probe_interval_ms: 500
        relays:
          - name: relay-a
            public_key: "33YwSbzEdI0CxnJexEHTbmThjTVoEKwyhT6GUV+mGTc="
            probe: 10.200.0.254
            own: ["10.200.0.254/32"]
          - name: relay-b
            public_key: "Kvi0MSGD0t1NJ8BkQBLGVYMSfLNXoWHkl1Q83THI6iA="
            probe: 10.200.0.253
            own: ["10.200.0.253/32"]
        """;

    [Fact]
    public void A_valid_file_loads_with_defaults_for_what_it_leaves_out()
    {
        var result = FailoverConfigLoader.LoadText(Valid, "f.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var settings = result.Settings;
        Assert.Equal("wg0", settings.Interface);
        Assert.Equal([IPNetwork.Parse("10.200.0.0/24"), IPNetwork.Parse("10.2.0.0/24"), IPNetwork.Parse("fd00::/64")], settings.Carried);
        Assert.Equal(new FailoverTimings(TimeSpan.FromMilliseconds(500), 3, TimeSpan.FromSeconds(10)), settings.Timings);
        Assert.Equal("/run/sitewire/failover-wg0.json", settings.StateFile);
        Assert.Equal(["relay-a", "relay-b"], settings.Relays.Select(relay => relay.Name));
        Assert.Equal(IPAddress.Parse("10.200.0.253"), settings.Relays[1].Probe);
    }

    [Theory]
    [InlineData("probe_interval_ms: 500", "probe_interval_ms: 5", 3, 20, "probe_interval_ms", "5 is out of range")]
    [InlineData("\"10.2.0.0/24\"", "\"10.2.0.1/24\"", 2, 28, "carried[1]", "has host bits set")]
    [InlineData("probe: 10.200.0.253", "probe: relay-b", 11, 12, "relays[1].probe", "'relay-b' is not an IP address")]
    [InlineData("\"Kvi0MSGD0t1NJ8BkQBLGVYMSfLNXoWHkl1Q83THI6iA=\"", "\"Kvi0\"", 10, 17, "relays[1].public_key", "not a WireGuard public key")]
    [InlineData("interface: wg0", "interface: wg0\nhold: 3", 2, 1, "hold", "unknown field 'hold'")]
    public void A_wrong_field_is_reported_at_its_position(string find, string replace, int line, int column, string field, string message)
    {
        var result = FailoverConfigLoader.LoadText(Valid.Replace(find, replace, StringComparison.Ordinal), "f.yaml");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((line, column, field), (diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Field));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_relay_is_nothing_to_fail_over_to()
    {
        var text = Valid[..Valid.IndexOf("  - name: relay-b", StringComparison.Ordinal)];

        var result = FailoverConfigLoader.LoadText(text, "f.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("relays", 5, 3), (diagnostic.Field, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains("nothing to fail over to", diagnostic.Message, StringComparison.Ordinal);
    }
}
