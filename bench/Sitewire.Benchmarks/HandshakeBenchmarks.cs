using BenchmarkDotNet.Attributes;
using Sitewire.Crypto;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Benchmarks;

/// <summary>The Noise IKpsk2 handshake: initiation, and the whole four-step exchange between two peers in memory.</summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private readonly byte[] _initiation = new byte[Constants.MessageInitiationSize];
    private readonly byte[] _response = new byte[Constants.MessageResponseSize];
    private readonly byte[] _consumed = new byte[Constants.MessageInitiationSize];
    private readonly byte[] _badMac1 = new byte[Constants.MessageInitiationSize];
    private LocalIdentity _responder = null!;
    private Handshake _atInitiator = null!;
    private Handshake _atResponder = null!;
    private DateTimeOffset _now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        var initiator = LocalIdentity.Create(Key.GeneratePrivate())!;
        _responder = LocalIdentity.Create(Key.GeneratePrivate())!;
        var psk = Key.GeneratePreshared();
        _atInitiator = new Handshake(initiator, _responder.PublicKey, psk);
        _atResponder = new Handshake(_responder, initiator.PublicKey, psk);
        if (!_atInitiator.TryCreateInitiation(1, _now, _consumed)
            || !Handshake.TryReadInitiation(_responder, _consumed, _ => _atResponder, _now, out _, out _))
        {
            throw new InvalidOperationException("handshake failed");
        }
        _consumed.CopyTo(_badMac1, 0);
        _badMac1[^20] ^= 1;
    }

    /// <summary>The responder's cost for a replayed initiation (a flood of copies): one DH and two AEAD opens.</summary>
    [Benchmark]
    public bool RejectReplayedInitiation() => Handshake.TryReadInitiation(_responder, _consumed, _ => _atResponder, _now.AddSeconds(1), out _, out _);

    /// <summary>The cost of junk: mac1 fails before any public-key work.</summary>
    [Benchmark]
    public bool RejectBadMac1() => Handshake.TryReadInitiation(_responder, _badMac1, _ => _atResponder, _now, out _, out _);

    [Benchmark]
    public bool CreateInitiation() => _atInitiator.TryCreateInitiation(1, _now, _initiation);

    [Benchmark]
    public Keypair FullHandshake()
    {
        _now = _now.AddSeconds(1);
        if (!_atInitiator.TryCreateInitiation(1, _now, _initiation)
            || !Handshake.TryReadInitiation(_responder, _initiation, _ => _atResponder, _now, out var peer, out _)
            || !peer.TryCreateResponse(2, _now, _response, out _)
            || !_atInitiator.TryReadResponse(_response, _now, out var keypair))
        {
            throw new InvalidOperationException("handshake failed");
        }
        return keypair;
    }
}
