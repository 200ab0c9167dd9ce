using System.Buffers.Binary;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Tests.Device;
using Sitewire.Tunnel.Tests.Doubles;

namespace Sitewire.Tunnel.Tests.Timers;

/// <summary>Every timer of whitepaper section 6, on the fake clock with the specification's timings.</summary>
public sealed class PeerTimerTests
{
    private static int TypeOf(byte[] datagram) => datagram.Length >= 4 ? (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram) : 0;

    /// <summary>Counts datagrams by (sender, type, keepalive or not); optionally drops them.</summary>
    private sealed class Watch
    {
        private readonly Lock _lock = new();
        private readonly List<(Endpoint From, int Type, int Length)> _seen = [];

        public Watch(DevicePair pair) => pair.Network.Filter = (from, _, payload) =>
        {
            lock (_lock)
            {
                _seen.Add((from, TypeOf(payload), payload.Length));
            }
            return Drop is not { } drop || !drop(from, TypeOf(payload));
        };

        public Func<Endpoint, int, bool>? Drop { get; set; }

        public int Count(Endpoint from, int type, bool? keepalive = null)
        {
            lock (_lock)
            {
                return _seen.Count(s => s.From == from && s.Type == type && (keepalive is null || (s.Length == Constants.MessageKeepaliveSize) == keepalive));
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _seen.Clear();
            }
        }
    }

    [Fact]
    public void The_receiver_of_data_sends_a_keepalive_after_ten_seconds_of_silence()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var watch = new Watch(pair);
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1)));
        pair.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, watch.Count(DevicePair.EndpointB, 4, keepalive: true));
        pair.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, watch.Count(DevicePair.EndpointB, 4, keepalive: true));
        pair.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, watch.Count(DevicePair.EndpointB, 4, keepalive: true));
        Assert.Equal(0, watch.Count(DevicePair.EndpointA, 4, keepalive: true));
    }

    [Fact]
    public void Persistent_keepalive_is_sent_at_once_when_set_and_then_every_interval()
    {
        using var pair = new DevicePair();
        pair.Connect();
        pair.Advance(TimeSpan.FromSeconds(15));
        var watch = new Watch(pair);
        var update = new DeviceUpdate();
        update.Peers.Add(new PeerUpdate(pair.KeyB.PublicKey()) { PersistentKeepaliveInterval = 25 });
        pair.A.Apply(update);
        Assert.True(DevicePair.Eventually(() => watch.Count(DevicePair.EndpointA, 4, keepalive: true) == 1));
        pair.Advance(TimeSpan.FromSeconds(24));
        Assert.Equal(1, watch.Count(DevicePair.EndpointA, 4, keepalive: true));
        pair.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, watch.Count(DevicePair.EndpointA, 4, keepalive: true));
        pair.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(3, watch.Count(DevicePair.EndpointA, 4, keepalive: true));
        Assert.Equal(25, pair.A.GetState().Peers.Single().PersistentKeepaliveInterval);
    }

    [Fact]
    public void An_unanswered_initiation_is_retried_every_five_seconds_and_given_up_after_ninety()
    {
        using var pair = new DevicePair();
        var watch = new Watch(pair) { Drop = (_, _) => true };
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        Assert.True(DevicePair.Eventually(() => watch.Count(DevicePair.EndpointA, 1) == 1));
        var step = TimeSpan.FromSeconds(0.25);
        pair.Advance(TimeSpan.FromSeconds(5.5), step);
        Assert.Equal(2, watch.Count(DevicePair.EndpointA, 1));
        pair.Advance(TimeSpan.FromSeconds(84.5), step);
        Assert.Equal(0, pair.PeerBOnA.Counters[DropReason.StagedOverflow]);
        pair.Advance(TimeSpan.FromSeconds(30), step);
        // wireguard-go: the first initiation and 19 retries, then the expiry after attempt 18 is exceeded gives up.
        Assert.Equal(20, watch.Count(DevicePair.EndpointA, 1));
        Assert.Equal(1, pair.PeerBOnA.Counters[DropReason.StagedOverflow]);
        pair.Advance(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5));
        Assert.Equal(20, watch.Count(DevicePair.EndpointA, 1));
    }

    [Fact]
    public void The_initiator_rekeys_when_it_sends_on_a_keypair_older_than_rekey_after_time()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var first = pair.PeerBOnA.Keypairs.Current;
        var watch = new Watch(pair);
        pair.Advance(TimeSpan.FromSeconds(119), TimeSpan.FromSeconds(7));
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1)));
        Assert.Equal(0, watch.Count(DevicePair.EndpointA, 1));
        pair.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 2)));
        Assert.True(DevicePair.Eventually(() => watch.Count(DevicePair.EndpointA, 1) == 1));
        Assert.True(DevicePair.Eventually(() => !ReferenceEquals(pair.PeerBOnA.Keypairs.Current, first)));
        Assert.Same(first, pair.PeerBOnA.Keypairs.Previous);
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 3)));
        Assert.NotNull(pair.SendBToA(Packets.WithSequence("10.0.0.2", "10.0.0.1", 4)));
    }

    [Fact]
    public void A_keypair_older_than_reject_after_time_is_not_used_to_send_or_receive()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var watch = new Watch(pair) { Drop = (_, type) => type is 1 or 2 };
        var keypair = pair.PeerBOnA.Keypairs.Current!;
        pair.Advance(TimeSpan.FromSeconds(181), TimeSpan.FromSeconds(10));
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        Assert.True(DevicePair.Eventually(() => watch.Count(DevicePair.EndpointA, 1) >= 1));
        pair.Settle();
        Assert.Equal(0, pair.TunB.Written);
        Assert.Equal(0, watch.Count(DevicePair.EndpointA, 4, keepalive: false));

        // A message sealed on the expired keypair is refused by the receiver too.
        var buffer = new byte[PacketBuffers.BufferSize];
        var packet = Packets.WithSequence("10.0.0.1", "10.0.0.2", 2);
        packet.CopyTo(buffer, 16);
        keypair.TryNextSendCounter(out var counter);
        var length = keypair.Seal(buffer, packet.Length, counter);
        pair.Network.Deliver(DevicePair.EndpointA, DevicePair.EndpointB, buffer[..length]);
        Assert.True(DevicePair.Eventually(() => pair.PeerAOnB.Counters[DropReason.KeypairExpired] == 1));
    }

    [Fact]
    public void Data_sent_without_an_answer_starts_a_new_handshake_after_fifteen_seconds()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var watch = new Watch(pair) { Drop = (from, type) => from == DevicePair.EndpointB && type == 4 };
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        Assert.NotNull(pair.TunB.Take(DevicePair.Wait));
        pair.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(0, watch.Count(DevicePair.EndpointA, 1));
        pair.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, watch.Count(DevicePair.EndpointA, 1));
    }

    [Fact]
    public void All_keys_are_zeroed_after_three_times_reject_after_time_without_a_new_handshake()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var peer = pair.PeerBOnA;
        Assert.NotNull(peer.Keypairs.Current);
        pair.Advance(TimeSpan.FromSeconds(530), TimeSpan.FromSeconds(10));
        Assert.NotNull(peer.Keypairs.Current);
        pair.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(peer.Keypairs.Current);
        Assert.Null(peer.Keypairs.Previous);
        Assert.Null(peer.Keypairs.Next);
        Assert.Null(pair.PeerAOnB.Keypairs.Current);
        Assert.Equal(0, pair.A.Sessions.Count);
        Assert.Equal(0, pair.B.Sessions.Count);
        // A new packet simply handshakes again.
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1)));
    }

    [Fact]
    public void The_responders_keypair_becomes_current_only_when_the_first_data_arrives_on_it()
    {
        using var pair = new DevicePair();
        var watch = new Watch(pair) { Drop = (from, type) => from == DevicePair.EndpointA && type == 4 };
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        var responder = pair.PeerAOnB;
        Assert.True(DevicePair.Eventually(() => pair.PeerBOnA.Keypairs.Current is not null));
        Assert.NotNull(responder.Keypairs.Next);
        Assert.Null(responder.Keypairs.Current);
        Assert.Null(responder.LastHandshake);

        watch.Drop = null;
        Assert.NotNull(pair.SendAToB(Packets.WithSequence("10.0.0.1", "10.0.0.2", 2)));
        Assert.NotNull(responder.Keypairs.Current);
        Assert.Null(responder.Keypairs.Next);
        Assert.Equal(responder.Keypairs.Current.RemoteIndex, pair.PeerBOnA.Keypairs.Current!.LocalIndex);
        Assert.NotNull(responder.LastHandshake);
    }

    [Fact]
    public void The_initiator_rekeys_when_data_arrives_on_a_keypair_close_to_reject_after_time()
    {
        using var pair = new DevicePair();
        pair.Connect();
        var watch = new Watch(pair);
        pair.Advance(TimeSpan.FromSeconds(164), TimeSpan.FromSeconds(4));
        Assert.NotNull(pair.SendBToA(Packets.WithSequence("10.0.0.2", "10.0.0.1", 1)));
        pair.Settle();
        Assert.Equal(0, watch.Count(DevicePair.EndpointA, 1));
        pair.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(pair.SendBToA(Packets.WithSequence("10.0.0.2", "10.0.0.1", 2)));
        Assert.True(DevicePair.Eventually(() => watch.Count(DevicePair.EndpointA, 1) == 1));
        Assert.NotNull(pair.SendBToA(Packets.WithSequence("10.0.0.2", "10.0.0.1", 3)));
        pair.Settle();
        Assert.Equal(1, watch.Count(DevicePair.EndpointA, 1));
        Assert.Equal(0, watch.Count(DevicePair.EndpointB, 1));
    }

    [Fact]
    public void Without_a_private_key_no_handshake_is_attempted()
    {
        using var pair = new DevicePair();
        var watch = new Watch(pair);
        pair.A.Apply(new DeviceUpdate { PrivateKey = default(Sitewire.Crypto.Key) });
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 1));
        pair.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(0, watch.Count(DevicePair.EndpointA, 1));
        pair.A.Apply(new DeviceUpdate { PrivateKey = pair.KeyA });
        pair.TunA.Inject(Packets.WithSequence("10.0.0.1", "10.0.0.2", 2));
        Assert.NotNull(pair.TunB.Take(DevicePair.Wait));
    }
}
