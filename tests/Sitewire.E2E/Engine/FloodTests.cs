using System.Diagnostics;
using Sitewire.Crypto;
using Sitewire.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Sitewire.E2E.Engine;

/// <summary>
/// Handshake flood: from a third namespace, 50,000 initiations hit the responder's port — replays of a real
/// initiation captured on the wire, random ones with a valid mac1 (each costs the daemon a Diffie-Hellman) and
/// random ones with a bad mac1. Once the daemon shows it is under load (a cookie reply, type 3, reaches the
/// flooder), the legitimate initiator starts a fresh handshake, which must then go through the cookie exchange
/// (mac2). The flood goes on until the handshake is done (at least 50,000 datagrams, at most 30 s). The handshake
/// must complete within a bound, the replays must not move the peer's endpoint, the daemon answers UAPI during
/// the flood and keeps running after it.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class FloodTests(ITestOutputHelper output)
{
    private const int MinimumFloodCount = 50_000;
    private const int FloodPerSecond = 30_000;
    private static readonly TimeSpan UnderLoadWithin = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(ImplementationMatrix.Pairs), MemberType = typeof(ImplementationMatrix))]
    public async Task Legitimate_handshake_completes_during_a_flood_of_junk_and_replayed_initiations(string responder, string initiator)
    {
        using var pair = TunnelPair.Create(initiator, responder, IpFamily.V4, output);
        var attacker = pair.AddAttacker(pair.B, out var target);
        var realInitiation = CaptureInitiation(pair);
        pair.ResetInitiatorPeer();
        var responderKey = Key.ParseBase64(pair.B.PublicKey);

        using var injector = new DatagramInjector(attacker, target);
        var handshakeDone = false;
        var flood = Task.Run(() => injector.SendAll(FloodMessages(realInitiation, responderKey), TimeSpan.FromSeconds(30), FloodPerSecond,
            sent => sent >= MinimumFloodCount && Volatile.Read(ref handshakeDone)));
        var cookieReplies = 0;
        var underLoad = Poll.Until(() => (cookieReplies += CookieReplies(injector)) > 0, UnderLoadWithin, TimeSpan.FromMilliseconds(20));
        var uapiDuringFlood = pair.B.Daemon.TryWg("show", pair.B.InterfaceName, "dump");
        var clock = Stopwatch.StartNew();
        var handshake = pair.Handshake(timeout: TimeSpan.FromSeconds(25));
        var handshakeTime = clock.Elapsed;
        var floodWasRunning = !flood.IsCompleted;
        Volatile.Write(ref handshakeDone, true);
        var sent = await flood;
        cookieReplies += CookieReplies(injector);

        output.WriteLine($"flood: {sent} datagrams; legitimate handshake {(handshake ? "completed" : "failed")} after {handshakeTime.TotalSeconds:0.0} s, flood still running then: {floodWasRunning}; cookie replies received by the flooder: {cookieReplies}");
        Assert.True(underLoad, $"the flooded daemon sent no cookie reply within {UnderLoadWithin.TotalSeconds:0} s (never under load, or no cookie mechanism)\n{pair.Describe()}");
        Assert.True(uapiDuringFlood.Succeeded, $"UAPI did not answer during the flood: {uapiDuringFlood.StandardError}\n{pair.Describe()}");
        Assert.True(handshake, $"the legitimate handshake did not complete within 25 s under load\n{pair.Describe()}");
        Assert.True(floodWasRunning, "the flood had ended before the handshake completed");
        Assert.InRange(sent, MinimumFloodCount, int.MaxValue);
        Assert.True(pair.B.Daemon.IsRunning, pair.Describe());
        var status = pair.B.PeerStatus();
        Assert.Equal(pair.A.Endpoint(IpFamily.V4), status.Endpoint);
        Assert.True(pair.B.PingUntilReply(pair.A.InnerV4, TimeSpan.FromSeconds(5)), $"the tunnel stopped after the flood\n{pair.Describe()}");
    }

    private static int CookieReplies(DatagramInjector injector) =>
        injector.DrainReplies().Count(reply => reply.Length == WireGuardMessages.CookieReplySize && reply[0] == WireGuardMessages.CookieReplyType);

    /// <summary>Captures A's first initiation on B's link while A and B shake hands.</summary>
    private static byte[] CaptureInitiation(TunnelPair pair)
    {
        using var capture = PacketCapture.Start(pair.B.Namespace, pair.B.OuterLink, Path.Combine(pair.WorkDirectory, "handshake.pcap"), 1,
            "udp and udp[8] = 1");
        Assert.True(pair.Handshake(), $"no first handshake\n{pair.Describe()}");
        var datagrams = capture.Finish(TimeSpan.FromSeconds(5));
        var initiation = datagrams.FirstOrDefault(d => d.MessageType == WireGuardMessages.InitiationType);
        Assert.True(initiation is not null && initiation.Payload.Length == WireGuardMessages.InitiationSize,
            $"no initiation captured ({datagrams.Count} datagrams)");
        return initiation.Payload;
    }

    private static IEnumerable<byte[]> FloodMessages(byte[] realInitiation, Key responderKey)
    {
        var random = new Random(50_000);
        for (var i = 0; ; i++)
        {
            yield return (i % 3) switch
            {
                0 => realInitiation,
                1 => WireGuardMessages.Random(random, WireGuardMessages.InitiationType, responderKey, validMac1: true),
                _ => WireGuardMessages.Random(random, WireGuardMessages.InitiationType, responderKey, validMac1: false),
            };
        }
    }
}
