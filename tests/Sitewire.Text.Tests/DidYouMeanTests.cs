namespace Sitewire.Text.Tests;

public class DidYouMeanTests
{
    [Theory]
    [InlineData("shap", "shape")]
    [InlineData("offce", "office")]
    [InlineData("ofifce", "office")]
    [InlineData("Office", "office")]
    [InlineData("overlay_6", "overlay_v6")]
    [InlineData("endpiont", "endpoint")]
    public void A_typo_is_matched_with_the_name_it_was_meant_to_be(string typed, string meant)
    {
        Assert.Equal(meant, DidYouMean.Closest(typed, ["overlay", "overlay_v6", "shape", "hub", "office", "home", "endpoint"]));
    }

    [Theory]
    [InlineData("relay")]
    [InlineData("x")]
    [InlineData("completely-different")]
    public void A_name_that_is_not_close_to_any_gets_no_suggestion(string typed)
    {
        Assert.Null(DidYouMean.Closest(typed, ["office", "home", "hub"]));
    }

    [Fact]
    public void The_hint_is_a_clause_to_append_or_nothing()
    {
        Assert.Equal("; did you mean 'shape'?", DidYouMean.Hint("shap", ["shape"]));
        Assert.Equal("", DidYouMean.Hint("relay", ["shape"]));
    }

    [Fact]
    public void An_over_long_name_is_no_typo_and_costs_nothing()
    {
        Assert.Null(DidYouMean.Closest(new string('a', 1_000_000), ["a"]));
    }
}
