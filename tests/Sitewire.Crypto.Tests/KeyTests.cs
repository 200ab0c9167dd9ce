namespace Sitewire.Crypto.Tests;

public class KeyTests
{
    [Fact]
    public void Generated_private_keys_are_clamped_and_round_trip_through_base64()
    {
        var key = Key.GeneratePrivate();
        var bytes = key.ToArray();
        Assert.Equal(0, bytes[0] & 7);
        Assert.Equal(64, bytes[31] & 0xC0);
        Assert.True(Key.TryParseBase64(key.ToBase64(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.Equal(44, key.ToBase64().Length);
    }

    [Fact]
    public void Public_key_of_the_rfc7748_alice_key()
    {
        var alice = new Key(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", alice.PublicKey().ToHex());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("iq6ug0A7gvKEJueBouk+pppglYmpd73cFSRsfXLMRQ")]
    [InlineData("iq6ug0A7gvKEJueBouk+pppglYmpd73cFSRsfXLMRQA")]
    [InlineData("iq6ug0A7gvKEJueBouk+pppglYmpd73cFSRsfXLMRQA==")]
    [InlineData("iq6ug0A7gvKEJueBouk+pppglYmpd73cFSRsfXLMR!A=")]
    public void Malformed_base64_is_rejected(string text) => Assert.False(Key.TryParseBase64(text, out _));

    [Fact]
    public void The_seeds_public_key_parses_and_prints_unchanged()
    {
        const string seedKey = "iq6ug0A7gvKEJueBouk+pppglYmpd73cFSRsfXLMRQA=";
        Assert.True(Key.TryParseBase64(seedKey, out var key));
        Assert.Equal(seedKey, key.ToBase64());
        Assert.Equal("(key)", key.ToString());
    }

    [Fact]
    public void Zero_key_means_none_and_hex_parses()
    {
        Assert.True(Key.TryParseHex(new string('0', 64), out var zero));
        Assert.True(zero.IsZero);
        Assert.False(Key.GeneratePreshared().IsZero);
        Assert.False(Key.TryParseHex("zz" + new string('0', 62), out _));
    }
}
