namespace Sitewire.Tunnel.Tests.Messages;

public class ConstantsTests
{
    [Fact]
    public void Specification_values_are_kept()
    {
        Assert.Equal("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"u8.ToArray(), Constants.NoiseConstruction.ToArray());
        Assert.Equal("WireGuard v1 zx2c4 Jason@zx2c4.com"u8.ToArray(), Constants.WireGuardIdentifier.ToArray());
        Assert.Equal((148, 92, 64, 16, 32), (Constants.MessageInitiationSize, Constants.MessageResponseSize, Constants.MessageCookieReplySize, Constants.MessageTransportHeaderSize, Constants.MessageKeepaliveSize));
        Assert.Equal(TimeSpan.FromMilliseconds(20), Constants.HandshakeInitiationRate);
        Assert.Equal(18, Constants.MaxTimerHandshakes);
        Assert.Equal(ulong.MaxValue - 8192, Constants.RejectAfterMessages);
    }
}
