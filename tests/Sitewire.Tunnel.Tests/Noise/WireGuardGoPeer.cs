using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Sitewire.Crypto;
using Sitewire.Host.Namespaces;

namespace Sitewire.Tunnel.Tests.Noise;

/// <summary>
/// A real wireguard-go in a network namespace of its own, configured with wg, listening on the namespace's
/// loopback; its tunnel address is 10.9.0.2/24 and the one peer it gets is 10.9.0.1/32. Traffic stays inside
/// the namespace. Disposing kills the daemon and removes the namespace.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class WireGuardGoPeer : IDisposable
{
    public const ushort ListenPort = 51820;
    public static readonly IPAddress TunnelAddress = IPAddress.Parse("10.9.0.2");
    public static readonly IPAddress PeerTunnelAddress = IPAddress.Parse("10.9.0.1");

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespace _namespace;
    private readonly string _socketPath;

    private WireGuardGoPeer(NetworkNamespace ns, string interfaceName, Key privateKey)
    {
        _namespace = ns;
        InterfaceName = interfaceName;
        PublicKey = privateKey.PublicKey();
        _socketPath = $"/var/run/wireguard/{interfaceName}.sock";
    }

    public string InterfaceName { get; }

    public Key PublicKey { get; }

    public IPEndPoint ListenEndPoint { get; } = new(IPAddress.Loopback, ListenPort);

    public static WireGuardGoPeer Start()
    {
        var prefix = NetworkNamespace.UniquePrefix();
        var ns = NetworkNamespace.Create(prefix + "ns");
        var privateKey = Key.GeneratePrivate();
        var peer = new WireGuardGoPeer(ns, prefix + "wg", privateKey);
        try
        {
            ns.Start("wireguard-go", ["-f", peer.InterfaceName], new Dictionary<string, string>
            {
                ["LOG_LEVEL"] = "error",
                ["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1",
            });
            var deadline = DateTime.UtcNow + CommandTimeout;
            while (!File.Exists(peer._socketPath) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            peer.Run("wg", ["set", peer.InterfaceName, "private-key", "/dev/stdin", "listen-port", ListenPort.ToString(CultureInfo.InvariantCulture)], privateKey.ToBase64() + "\n");
            peer.Run("ip", ["address", "add", TunnelAddress + "/24", "dev", peer.InterfaceName]);
            peer.Run("ip", ["link", "set", peer.InterfaceName, "up"]);
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    public void AddPeer(Key publicKey, IPEndPoint? endpoint)
    {
        string[] arguments = ["set", InterfaceName, "peer", publicKey.ToBase64(), "allowed-ips", PeerTunnelAddress + "/32"];
        Run("wg", endpoint is null ? arguments : [.. arguments, "endpoint", endpoint.ToString()]);
    }

    /// <summary>Epoch seconds of the last handshake wireguard-go completed with <paramref name="publicKey"/>, 0 if none.</summary>
    public long LatestHandshake(Key publicKey)
    {
        var output = _namespace.Exec("wg", ["show", InterfaceName, "latest-handshakes"], CommandTimeout).EnsureSuccess().StandardOutput;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(publicKey.ToBase64(), StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split('\t')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A UDP socket created inside the namespace, bound to <paramref name="address"/> (any port).</summary>
    public Socket OpenUdpSocket(IPAddress address) => NamespaceThread.Run(_namespace.Name, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    });

    public void Dispose()
    {
        _namespace.Dispose();
        File.Delete(_socketPath);
    }

    private void Run(string program, string[] arguments, string? standardInput = null) =>
        _namespace.Exec(program, arguments, CommandTimeout, standardInput).EnsureSuccess();
}
