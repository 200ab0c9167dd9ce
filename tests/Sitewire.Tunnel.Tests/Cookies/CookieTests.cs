using System.Net;
using Sitewire.Crypto;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;
using Sitewire.Tunnel.Tests.Noise;

namespace Sitewire.Tunnel.Tests.Cookies;

public class CookieTests
{
    private static readonly DateTimeOffset Now = HandshakePair.Start;
    private static readonly Endpoint Source = Endpoint.FromIPEndPoint(IPEndPoint.Parse("192.0.2.7:51820"));

    [Fact]
    public void Under_load_the_cookie_reply_lets_the_next_initiation_carry_a_valid_mac2()
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var first = pair.CreateInitiation(Now);
        Assert.True(checker.CheckMac1(first));
        Assert.False(checker.CheckMac2(first, Source, Now));

        var reply = new byte[MessageCookieReply.Size];
        checker.CreateReply(first, Source, Now, reply);
        Assert.Equal(Constants.MessageCookieReplyType, MessageType.Of(reply));
        Assert.Equal(HandshakePair.IndexA, MessageCookieReply.ReadReceiver(reply));
        Assert.True(pair.AtA.Cookies.TryConsumeReply(reply, Now.AddMilliseconds(5)));
        Assert.True(pair.AtA.Cookies.HasFreshCookie(Now.AddSeconds(1)));

        var second = pair.CreateInitiation(Now.AddSeconds(1));
        Assert.NotEqual(new byte[16], second[MessageInitiation.Mac2]);
        Assert.True(checker.CheckMac1(second));
        Assert.True(checker.CheckMac2(second, Source, Now.AddSeconds(1)));
        Assert.True(pair.ReadInitiation(second, Now.AddSeconds(1)));
    }

    [Theory]
    [InlineData("192.0.2.7:51821")]
    [InlineData("192.0.2.8:51820")]
    [InlineData("[2001:db8::7]:51820")]
    public void Cookie_is_bound_to_the_source_endpoint(string other)
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var second = InitiationWithCookie(pair, checker);

        Assert.False(checker.CheckMac2(second, Endpoint.FromIPEndPoint(IPEndPoint.Parse(other)), Now.AddSeconds(1)));
    }

    [Fact]
    public void Reply_to_an_older_mac1_or_a_second_time_is_not_consumed()
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var first = pair.CreateInitiation(Now);
        var reply = new byte[MessageCookieReply.Size];
        checker.CreateReply(first, Source, Now, reply);
        pair.CreateInitiation(Now.AddSeconds(1));

        Assert.False(pair.AtA.Cookies.TryConsumeReply(reply, Now.AddSeconds(1)));

        var latest = pair.CreateInitiation(Now.AddSeconds(2));
        checker.CreateReply(latest, Source, Now.AddSeconds(2), reply);
        Assert.True(pair.AtA.Cookies.TryConsumeReply(reply, Now.AddSeconds(2)));
        Assert.False(pair.AtA.Cookies.TryConsumeReply(reply, Now.AddSeconds(2)));
    }

    [Fact]
    public void Tampered_or_foreign_replies_are_not_consumed()
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var first = pair.CreateInitiation(Now);
        var reply = new byte[MessageCookieReply.Size];
        checker.CreateReply(first, Source, Now, reply);
        for (var i = MessageCookieReply.NonceOffset; i < reply.Length; i++)
        {
            var copy = (byte[])reply.Clone();
            copy[i] ^= 0x80;
            Assert.False(pair.AtA.Cookies.TryConsumeReply(copy, Now), $"byte {i} changed was accepted");
        }
        var stranger = new CookieChecker(LocalIdentity.Create(Key.GeneratePrivate())!);
        var foreign = new byte[MessageCookieReply.Size];
        stranger.CreateReply(first, Source, Now, foreign);
        Assert.False(pair.AtA.Cookies.TryConsumeReply(foreign, Now));
        Assert.False(pair.AtA.Cookies.TryConsumeReply(reply.AsSpan(0, 63), Now));

        Assert.True(pair.AtA.Cookies.TryConsumeReply(reply, Now));
    }

    [Fact]
    public void Flipped_mac1_is_rejected()
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var initiation = pair.CreateInitiation(Now);
        for (var i = 0; i < MessageInitiation.Mac2Offset; i++)
        {
            var copy = (byte[])initiation.Clone();
            copy[i] ^= 0x01;
            Assert.False(checker.CheckMac1(copy), $"byte {i} changed was accepted");
        }
        Assert.False(new CookieChecker(pair.IdentityA).CheckMac1(initiation));
        Assert.False(checker.CheckMac1([]));
    }

    [Fact]
    public void Cookie_and_secret_expire_after_the_refresh_time()
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var withCookie = InitiationWithCookie(pair, checker);
        var late = Now.AddSeconds(121);

        Assert.False(checker.CheckMac2(withCookie, Source, late));
        Assert.False(pair.AtA.Cookies.HasFreshCookie(late));
        var afterExpiry = pair.CreateInitiation(late);
        Assert.Equal(new byte[16], afterExpiry[MessageInitiation.Mac2]);
    }

    [Fact]
    public void Secret_rotation_invalidates_old_cookies_and_new_ones_work()
    {
        var pair = new HandshakePair();
        var checker = new CookieChecker(pair.IdentityB);
        var first = pair.CreateInitiation(Now);
        var reply = new byte[MessageCookieReply.Size];
        checker.CreateReply(first, Source, Now, reply);
        Assert.True(pair.AtA.Cookies.TryConsumeReply(reply, Now.AddSeconds(100)));
        var late = Now.AddSeconds(121);
        checker.CreateReply(first, Source, late, new byte[MessageCookieReply.Size]);

        var stale = pair.CreateInitiation(late);
        Assert.NotEqual(new byte[16], stale[MessageInitiation.Mac2]);
        Assert.False(checker.CheckMac2(stale, Source, late));

        checker.CreateReply(stale, Source, late, reply);
        Assert.True(pair.AtA.Cookies.TryConsumeReply(reply, late));
        Assert.True(checker.CheckMac2(pair.CreateInitiation(late.AddSeconds(1)), Source, late.AddSeconds(1)));
    }

    [Fact]
    public void Response_carries_mac1_for_the_initiator()
    {
        var pair = new HandshakePair();
        Assert.True(pair.ReadInitiation(pair.CreateInitiation(Now), Now));
        var response = new byte[MessageResponse.Size];
        Assert.True(pair.AtB.TryCreateResponse(HandshakePair.IndexB, Now, response, out _));

        Assert.True(new CookieChecker(pair.IdentityA).CheckMac1(response));
        Assert.False(new CookieChecker(pair.IdentityB).CheckMac1(response));
    }

    private static byte[] InitiationWithCookie(HandshakePair pair, CookieChecker checker)
    {
        var first = pair.CreateInitiation(Now);
        var reply = new byte[MessageCookieReply.Size];
        checker.CreateReply(first, Source, Now, reply);
        Assert.True(pair.AtA.Cookies.TryConsumeReply(reply, Now));
        var second = pair.CreateInitiation(Now.AddSeconds(1));
        Assert.True(checker.CheckMac2(second, Source, Now.AddSeconds(1)));
        return second;
    }
}
