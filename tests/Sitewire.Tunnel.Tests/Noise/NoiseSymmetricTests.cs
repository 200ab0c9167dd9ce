using Sitewire.Crypto;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Tunnel.Tests.Noise;

public class NoiseSymmetricTests
{
    /// <summary>Ci = HASH(construction) and Hi = HASH(Ci || identifier), the same in every conforming implementation.</summary>
    [Fact]
    public void Initial_chaining_key_and_hash_are_the_published_values()
    {
        Assert.Equal("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36", Convert.ToHexStringLower(NoiseSymmetric.InitialChainingKey));

        var hi = new byte[32];
        Blake2s.Hash(NoiseSymmetric.InitialChainingKey, Constants.WireGuardIdentifier, hi);
        Assert.Equal("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3", Convert.ToHexStringLower(hi));

        var responder = Key.GeneratePrivate().PublicKey();
        var expected = new byte[32];
        Blake2s.Hash(hi, responder.ToArray(), expected);
        Assert.Equal(expected, NoiseSymmetric.InitialHashFor(responder));
    }
}
