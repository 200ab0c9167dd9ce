using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>What one TCP transfer moved and the SHA-256 of the bytes at each end.</summary>
public sealed record TransferResult(long SentBytes, long ReceivedBytes, string SentSha256, string ReceivedSha256, TimeSpan Elapsed)
{
    public double Megabits => ReceivedBytes * 8 / 1e6;

    public override string ToString() =>
        $"sent {SentBytes} B sha256 {SentSha256}, received {ReceivedBytes} B sha256 {ReceivedSha256}, in {Elapsed.TotalSeconds:0.00} s ({Megabits / Math.Max(Elapsed.TotalSeconds, 1e-3):0} Mbit/s)";
}

/// <summary>
/// Sends pseudo-random bytes over one TCP connection from a socket in one namespace to a listener in another
/// (both opened in-process with <see cref="NamespaceThread"/>), hashing both ends. Bounded by a timeout; an
/// optional pace spreads the bytes over time. A test that needs something to happen during the transfer (rekeys, a
/// roam) passes <c>stopSending</c> and a generous byte count, and signals it once it has seen that happen: the sender
/// then ends the stream as after its last byte, and the receiver still reads and hashes everything sent.
/// Both ends run on the thread pool, never on the caller's synchronization context: under xUnit that context has one
/// worker per core, shared with the synchronous tests of other collections, and a transfer or the caller's sampling
/// of it must not wait for one of them to finish.
/// </summary>
public static class TcpTransfer
{
    public const int Port = 5201;
    private const int ChunkSize = 64 * 1024;

    public static Task<TransferResult> RunAsync(NetworkNamespace sender, NetworkNamespace receiver, IPAddress receiverAddress,
        long bytes, TimeSpan timeout, double? bytesPerSecond = null, CancellationToken stopSending = default) =>
        Task.Run(() => TransferAsync(sender, receiver, receiverAddress, bytes, timeout, bytesPerSecond, stopSending));

    private static async Task<TransferResult> TransferAsync(NetworkNamespace sender, NetworkNamespace receiver, IPAddress receiverAddress,
        long bytes, TimeSpan timeout, double? bytesPerSecond, CancellationToken stopSending)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var token = cancellation.Token;
        using var listener = NamespaceThread.Run(receiver.Name, () => new Socket(receiverAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(receiverAddress, Port));
        listener.Listen(1);
        using var client = NamespaceThread.Run(sender.Name, () => new Socket(receiverAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        var clock = Stopwatch.StartNew();
        var receiving = ReceiveAsync(listener, token);
        await client.ConnectAsync(new IPEndPoint(receiverAddress, Port), token);
        var (sent, sentHash) = await SendAsync(client, bytes, bytesPerSecond, clock, stopSending, token);
        client.Shutdown(SocketShutdown.Send);
        var (received, receivedHash) = await receiving;
        return new TransferResult(sent, received, sentHash, receivedHash, clock.Elapsed);
    }

    private static async Task<(long Bytes, string Sha256)> SendAsync(Socket socket, long bytes, double? bytesPerSecond, Stopwatch clock,
        CancellationToken stopSending, CancellationToken token)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var random = new Random(20261125);
        var chunk = new byte[ChunkSize];
        long sent = 0;
        while (sent < bytes && !stopSending.IsCancellationRequested)
        {
            var length = (int)Math.Min(ChunkSize, bytes - sent);
            random.NextBytes(chunk.AsSpan(0, length));
            hash.AppendData(chunk, 0, length);
            await socket.SendAsync(chunk.AsMemory(0, length), SocketFlags.None, token);
            sent += length;
            if (bytesPerSecond is { } rate)
            {
                var due = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, token);
                }
            }
        }
        return (sent, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task<(long Bytes, string Sha256)> ReceiveAsync(Socket listener, CancellationToken token)
    {
        using var connection = await listener.AcceptAsync(token);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        long received = 0;
        while (true)
        {
            var count = await connection.ReceiveAsync(buffer, SocketFlags.None, token);
            if (count == 0)
            {
                return (received, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
            hash.AppendData(buffer, 0, count);
            received += count;
        }
    }
}
