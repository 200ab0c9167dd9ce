namespace Sitewire.Crypto.Tests;

public class Curve25519Tests
{
    [Theory]
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493", "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Rfc7748_section_5_2_vectors(string scalar, string u, string expected)
    {
        var output = new byte[32];
        Assert.True(Curve25519.TrySharedSecret(Convert.FromHexString(scalar), Convert.FromHexString(u), output));
        Assert.Equal(expected, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Rfc7748_section_6_1_diffie_hellman()
    {
        var alicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPrivate = Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePublic = new byte[32];
        var bobPublic = new byte[32];
        Curve25519.PublicKey(alicePrivate, alicePublic);
        Curve25519.PublicKey(bobPrivate, bobPublic);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePublic));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPublic));
        var shared1 = new byte[32];
        var shared2 = new byte[32];
        Assert.True(Curve25519.TrySharedSecret(alicePrivate, bobPublic, shared1));
        Assert.True(Curve25519.TrySharedSecret(bobPrivate, alicePublic, shared2));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(shared1));
        Assert.Equal(shared1, shared2);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    [InlineData("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    public void Low_order_public_keys_are_rejected(string lowOrderPoint)
    {
        var privateKey = new byte[32];
        Curve25519.GeneratePrivateKey(privateKey);
        var output = new byte[32];
        Assert.False(Curve25519.TrySharedSecret(privateKey, Convert.FromHexString(lowOrderPoint), output));
        Assert.All(output, b => Assert.Equal(0, b));
    }
}
