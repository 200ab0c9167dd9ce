namespace Sitewire.Crypto.Tests;

public class AeadTests
{
    private static readonly byte[] Key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static readonly byte[] Aad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
    private static readonly byte[] Sunscreen =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8.ToArray();

    [Fact]
    public void Rfc8439_section_2_8_2_vector()
    {
        var output = new byte[Sunscreen.Length + 16];
        ChaChaPoly.Seal(Key, Convert.FromHexString("070000004041424344454647"), Sunscreen, Aad, output);
        Assert.Equal(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            + "1ae10b594f09e26a7e902ecbd0600691",
            Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(0x0102030405060708UL)]
    [InlineData(ulong.MaxValue - 8192)]
    public void Counter_nonce_matches_an_independent_implementation(ulong counter)
    {
        var plaintext = Enumerable.Range(0, 1420).Select(i => (byte)i).ToArray();
        var ours = new byte[plaintext.Length + 16];
        ChaChaPoly.Seal(Key, counter, plaintext, [], ours);

        var nonce = new byte[12];
        BitConverter.TryWriteBytes(nonce.AsSpan(4), counter);
        using var openSsl = new System.Security.Cryptography.ChaCha20Poly1305(Key);
        var theirs = new byte[plaintext.Length];
        var tag = new byte[16];
        openSsl.Encrypt(nonce, plaintext, theirs, tag);
        Assert.Equal([.. theirs, .. tag], ours);

        var opened = new byte[plaintext.Length];
        Assert.True(ChaChaPoly.Open(Key, counter, ours, [], opened));
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void Open_rejects_any_flipped_bit_without_throwing()
    {
        var sealedMessage = new byte[Sunscreen.Length + 16];
        ChaChaPoly.Seal(Key, 7, Sunscreen, Aad, sealedMessage);
        var output = new byte[Sunscreen.Length];
        for (var bit = 0; bit < sealedMessage.Length * 8; bit += 13)
        {
            var tampered = (byte[])sealedMessage.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(ChaChaPoly.Open(Key, 7, tampered, Aad, output));
        }
        Assert.False(ChaChaPoly.Open(Key, 8, sealedMessage, Aad, output));
        Assert.False(ChaChaPoly.Open(Key, 7, sealedMessage.AsSpan(0, 15), Aad, []));
    }

    [Fact]
    public void Xchacha20poly1305_draft_vector()
    {
        var nonce = Convert.FromHexString("404142434445464748494a4b4c4d4e4f5051525354555657");
        var output = new byte[Sunscreen.Length + 16];
        XChaChaPoly.Seal(Key, nonce, Sunscreen, Aad, output);
        Assert.Equal(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
            + "c0875924c1c7987947deafd8780acf49",
            Convert.ToHexStringLower(output));
        var opened = new byte[Sunscreen.Length];
        Assert.True(XChaChaPoly.Open(Key, nonce, output, Aad, opened));
        Assert.Equal(Sunscreen, opened);
        output[0] ^= 1;
        Assert.False(XChaChaPoly.Open(Key, nonce, output, Aad, opened));
    }
}
