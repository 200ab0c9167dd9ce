using System.Text;

namespace Sitewire.Text.Tests;

public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("wg0", "wg0")]
    [InlineData("büro 東京", "büro 東京")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("\u001b[2Jverify: passed", @"\x1b[2Jverify: passed")]
    [InlineData("evil\u202eexe.txt", @"evil\u202eexe.txt")]
    [InlineData(@"C:\n", @"C:\\n")]
    [InlineData("\0", @"\x00")]
    [InlineData("\u0085", @"\x85")]
    public void Escapes_what_a_terminal_would_act_on(string value, string shown)
    {
        Assert.Equal(shown, DisplayText.Escape(value));
    }

    [Fact]
    public void A_lone_surrogate_is_shown_as_its_code()
    {
        Assert.Equal(@"\ud800x", DisplayText.Escape("\ud800x"));
    }

    [Fact]
    public void A_huge_value_is_capped_and_says_how_much_was_left_out()
    {
        var shown = DisplayText.Escape(new string('x', 50_000_000), 100);
        Assert.Equal(new string('x', 100) + "…(49999900 more characters)", shown);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_shown_in_hex()
    {
        byte[] request = [.. "set=1\n"u8, 0xff, 0xfe, .. "ok"u8];
        Assert.Equal(@"set=1\n\xff\xfeok", DisplayText.EscapeBytes(request));
        Assert.Equal("ab…(3 more bytes)", DisplayText.EscapeBytes("abcde"u8, 2));
    }

    [Fact]
    public void Every_result_is_one_printable_line()
    {
        var random = new Random(7);
        for (var round = 0; round < 2000; round++)
        {
            var chars = new char[random.Next(0, 64)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)random.Next(0, 0x10000);
            }
            var shown = DisplayText.Escape(new string(chars), 40);
            foreach (var rune in shown.EnumerateRunes())
            {
                Assert.False(Rune.IsControl(rune), $"control character U+{rune.Value:x4} in {shown}");
                Assert.NotEqual(System.Globalization.UnicodeCategory.Format, Rune.GetUnicodeCategory(rune));
            }
        }
    }
}
