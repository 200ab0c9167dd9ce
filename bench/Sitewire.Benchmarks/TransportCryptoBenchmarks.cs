using BenchmarkDotNet.Attributes;
using Sitewire.Crypto;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Benchmarks;

/// <summary>Sealing and opening transport messages in place (the per-packet cost of the tunnel).</summary>
[MemoryDiagnoser]
public class TransportCryptoBenchmarks
{
    private byte[] _buffer = [];
    private byte[] _sealedMessage = [];
    private Keypair _sender = null!;
    private Keypair _receiver = null!;
    private readonly byte[] _rawKey = new byte[ChaChaPoly.KeySize];

    [Params(64, 1420)]
    public int PacketSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var a = LocalIdentity.Create(Key.GeneratePrivate())!;
        var b = LocalIdentity.Create(Key.GeneratePrivate())!;
        var atA = new Handshake(a, b.PublicKey, default);
        var atB = new Handshake(b, a.PublicKey, default);
        var now = DateTimeOffset.UtcNow;
        var initiation = new byte[Constants.MessageInitiationSize];
        var response = new byte[Constants.MessageResponseSize];
        if (!atA.TryCreateInitiation(1, now, initiation)
            || !Handshake.TryReadInitiation(b, initiation, _ => atB, now, out _, out _)
            || !atB.TryCreateResponse(2, now, response, out var receiver)
            || !atA.TryReadResponse(response, now, out var sender))
        {
            throw new InvalidOperationException("handshake failed");
        }
        _sender = sender;
        _receiver = receiver;
        _buffer = new byte[Keypair.MessageLength(PacketSize)];
        Random.Shared.NextBytes(_buffer.AsSpan(MessageTransportHeader.Size, PacketSize));
        _sender.TryNextSendCounter(out var counter);
        _sealedMessage = _buffer[.._sender.Seal(_buffer, PacketSize, counter)];
    }

    /// <summary>libsodium's AEAD alone on the same bytes: what the keypair's framing adds is the difference.</summary>
    [Benchmark(Baseline = true)]
    public void RawAead()
    {
        var region = _buffer.AsSpan(MessageTransportHeader.Size, Keypair.PaddedLength(PacketSize) + ChaChaPoly.TagSize);
        ChaChaPoly.Seal(_rawKey, 0, region[..^ChaChaPoly.TagSize], default, region);
    }

    [Benchmark]
    public int Seal()
    {
        _sender.TryNextSendCounter(out var counter);
        return _sender.Seal(_buffer, PacketSize, counter);
    }

    /// <summary>Includes copying the message into the work buffer, since opening decrypts in place.</summary>
    [Benchmark]
    public bool Open()
    {
        _sealedMessage.CopyTo(_buffer, 0);
        return _receiver.TryOpen(_buffer.AsSpan(0, _sealedMessage.Length), out _, out _);
    }
}
