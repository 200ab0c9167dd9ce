using Sitewire.Config.Input;
using Sitewire.Config.WgQuick;

namespace Sitewire.Config.Tests.WgQuick;

/// <summary>A wg-quick file too large or with a line too long is an error with its position, read no further than the bound.</summary>
public sealed class WgQuickInputBoundsTests
{
    private const string Interface = "[Interface]\nAddress = 10.9.0.1/24\nPrivateKey = KDC5YQ0aNARn4uqU4BjUf2nVt9Xhe3OtOLDQFKydVV0=\n";

    [Fact]
    public void A_line_longer_than_the_bound_is_refused_at_the_first_character_past_it()
    {
        var text = Interface + "PostUp = " + new string('x', 1024 * 1024) + "\n";

        var result = WgQuickParser.Parse(text, "wg0.conf");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("wg0.conf", 4, InputLimits.MaxWgQuickLineLength + 1), (diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Equal("(line)", diagnostic.Field);
        Assert.Contains($"a line of {9 + (1024 * 1024)} characters", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_of_exactly_the_bound_is_read()
    {
        var postUp = new string('x', InputLimits.MaxWgQuickLineLength - "PostUp = ".Length);

        var result = WgQuickParser.Parse(Interface + "PostUp = " + postUp + "\n", "wg0.conf");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal([postUp], result.Config.Interface.PostUp);
    }

    [Fact]
    public void An_endless_input_is_read_no_further_than_the_bound()
    {
        var result = WgQuickParser.Load("/dev/zero");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("(file)", "/dev/zero", 1, 1), (diagnostic.Field, diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains($"larger than {InputLimits.MaxFileBytes} bytes", diagnostic.Message, StringComparison.Ordinal);
    }
}
