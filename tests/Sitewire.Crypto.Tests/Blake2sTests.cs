namespace Sitewire.Crypto.Tests;

public class Blake2sTests
{
    [Fact]
    public void Rfc7693_AppendixB_abc()
    {
        Span<byte> hash = stackalloc byte[32];
        Blake2s.Hash("abc"u8, hash);
        Assert.Equal("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Keyed_empty_input_matches_the_reference_known_answer()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        Span<byte> mac = stackalloc byte[32];
        Blake2s.Mac(key, [], mac);
        Assert.Equal("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49", Convert.ToHexStringLower(mac));
    }

    /// <summary>RFC 7693 Appendix E: the grand hash over every output length, input length and key combination.</summary>
    [Fact]
    public void Rfc7693_AppendixE_self_test()
    {
        int[] hashLengths = [16, 20, 28, 32];
        int[] inputLengths = [0, 3, 64, 65, 255, 1024];
        var grand = Blake2s.Create(32);
        var input = new byte[1024];
        var key = new byte[32];
        var digest = new byte[32];
        foreach (var outLength in hashLengths)
        {
            foreach (var inLength in inputLengths)
            {
                Sequence(input.AsSpan(0, inLength), (uint)inLength);
                Blake2s.Hash(input.AsSpan(0, inLength), digest.AsSpan(0, outLength));
                grand.Update(digest.AsSpan(0, outLength));
                Sequence(key.AsSpan(0, outLength), (uint)outLength);
                Blake2s.Mac(key.AsSpan(0, outLength), input.AsSpan(0, inLength), digest.AsSpan(0, outLength));
                grand.Update(digest.AsSpan(0, outLength));
            }
        }
        var result = new byte[32];
        grand.Final(result);
        Assert.Equal("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe", Convert.ToHexStringLower(result));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Incremental_updates_of_any_split_equal_one_shot(int split)
    {
        var data = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        var oneShot = new byte[32];
        Blake2s.Hash(data, oneShot);
        var state = Blake2s.Create(32);
        for (var offset = 0; offset < data.Length; offset += split)
        {
            state.Update(data.AsSpan(offset, Math.Min(split, data.Length - offset)));
        }
        var incremental = new byte[32];
        state.Final(incremental);
        Assert.Equal(oneShot, incremental);
    }

    private static void Sequence(Span<byte> output, uint seed)
    {
        var a = 0xDEAD4BADu * seed;
        var b = 1u;
        for (var i = 0; i < output.Length; i++)
        {
            var t = a + b;
            a = b;
            b = t;
            output[i] = (byte)(t >> 24);
        }
    }
}
