using System.Diagnostics;
using System.Globalization;

namespace Sitewire.Host.Lab;

/// <summary>
/// One TCP connection from a lab host to a server this class starts on another, sending a paced, known stream for a
/// while; the server answers the SHA-256 and length of what it received, and the client exits 0 only when both match
/// what it sent: the connection survived whatever happened meanwhile, byte for byte. Both processes bounded, stopped by PID.
/// </summary>
public sealed class LabTcpStream : IDisposable
{
    private const string Server = """
        import hashlib, socket, sys
        listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("0.0.0.0", int(sys.argv[1]))); listener.listen(1); listener.settimeout(120)
        print("listening", flush=True)
        connection, _ = listener.accept(); connection.settimeout(60)
        digest, length = hashlib.sha256(), 0
        while data := connection.recv(65536):
            digest.update(data); length += len(data)
        connection.sendall(f"{digest.hexdigest()} {length}\n".encode()); connection.close()
        """;

    private const string Client = """
        import hashlib, socket, sys, time
        connection = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=60)
        digest, length, index, end = hashlib.sha256(), 0, 0, time.time() + float(sys.argv[3])
        while time.time() < end:
            chunk = hashlib.sha256(str(index).encode()).digest() * 512
            connection.sendall(chunk); digest.update(chunk); length += len(chunk); index += 1; time.sleep(0.05)
        connection.shutdown(socket.SHUT_WR)
        answer = connection.makefile().readline().split()
        print(f"sent {length} bytes, sha256 {digest.hexdigest()}; server received {' '.join(answer) or 'nothing'}")
        sys.exit(0 if answer == [digest.hexdigest(), str(length)] else 1)
        """;

    private readonly Process _server;
    private readonly Process _client;
    private readonly Task<string> _clientOutput;

    public LabTcpStream(LabState state, string from, string toHost, string toAddress, int port, TimeSpan sending)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        _server = LabExec.Start(state, toHost, ["timeout", "180", "python3", "-c", Server, text]);
        var listening = _server.StandardOutput.ReadLineAsync();
        if (!listening.Wait(TimeSpan.FromSeconds(30)) || listening.Result != "listening")
        {
            _server.Kill();
            throw new InvalidOperationException($"the TCP server on {toHost} did not start listening on port {text} within 30 s: {_server.StandardError.ReadToEnd()}");
        }
        _ = _server.StandardError.ReadToEndAsync();
        _client = LabExec.Start(state, from, ["timeout", "150", "python3", "-c", Client, toAddress, text, sending.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        _clientOutput = Task.WhenAll(_client.StandardOutput.ReadToEndAsync(), _client.StandardError.ReadToEndAsync())
            .ContinueWith(both => string.Concat(both.Result).Trim(), TaskScheduler.Default);
    }

    /// <summary>Waits for the client; whether the server got every byte in order, and what the client said.</summary>
    public (bool Intact, string Output) Wait(TimeSpan timeout)
    {
        if (!_client.WaitForExit(timeout))
        {
            return (false, $"the transfer did not finish within {timeout.TotalSeconds:0} s");
        }
        return (_client.ExitCode == 0, _clientOutput.Result);
    }

    public void Dispose()
    {
        foreach (var process in new[] { _client, _server })
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.WaitForExit();
            process.Dispose();
        }
    }
}
