namespace Sitewire.Crypto.Tests;

/// <summary>Expected values computed with Python's hmac + hashlib.blake2s, an independent implementation.</summary>
public class HkdfTests
{
    private static readonly byte[] Data = "WireGuard HMAC test"u8.ToArray();

    [Fact]
    public void Hmac_blake2s_matches_python_reference()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var mac = new byte[32];
        HmacBlake2s.Compute(key, Data, mac);
        Assert.Equal("9826477d736cfb8534349d0b3ca804914a788554527ea0ca7f7f5a39a60b460f", Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Hmac_blake2s_hashes_keys_longer_than_a_block()
    {
        var key = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var mac = new byte[32];
        HmacBlake2s.Compute(key, Data, mac);
        Assert.Equal("c8937a9786d025a5543eb251d21ab4ff8cfb11544440ee7005346b0c7a9b9f43", Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Kdf3_outputs_match_python_reference()
    {
        var chainingKey = Enumerable.Repeat((byte)0x11, 32).ToArray();
        var input = Enumerable.Repeat((byte)0x22, 32).ToArray();
        byte[] t1 = new byte[32], t2 = new byte[32], t3 = new byte[32];
        Hkdf.Derive(chainingKey, input, t1, t2, t3);
        Assert.Equal("689595aed4202060b80a81db830fdc731a7db549f99f474b38c01aeaf5a00d83", Convert.ToHexStringLower(t1));
        Assert.Equal("33af33967dc440981ee10c21a2d67f1a37739b8738487a70e024c1b4a1549eeb", Convert.ToHexStringLower(t2));
        Assert.Equal("5bb30adac22ee1ec3ad45a108d326e3dbe5d118b344c0e4fba2533b2fbea1de2", Convert.ToHexStringLower(t3));
    }

    [Fact]
    public void Kdf1_and_kdf2_are_prefixes_of_kdf3()
    {
        var chainingKey = Enumerable.Repeat((byte)0x11, 32).ToArray();
        var input = Enumerable.Repeat((byte)0x22, 32).ToArray();
        byte[] a1 = new byte[32], b1 = new byte[32], b2 = new byte[32];
        Hkdf.Derive(chainingKey, input, a1);
        Hkdf.Derive(chainingKey, input, b1, b2);
        Assert.Equal("689595aed4202060b80a81db830fdc731a7db549f99f474b38c01aeaf5a00d83", Convert.ToHexStringLower(a1));
        Assert.Equal(a1, b1);
        Assert.Equal("33af33967dc440981ee10c21a2d67f1a37739b8738487a70e024c1b4a1549eeb", Convert.ToHexStringLower(b2));
    }
}
