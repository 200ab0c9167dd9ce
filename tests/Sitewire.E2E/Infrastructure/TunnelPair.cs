using System.Net;
using Sitewire.Crypto;
using Sitewire.Host.Namespaces;
using Xunit.Abstractions;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Two namespaces A and B joined by a veth pair (IPv4 10.200.0.0/24 and IPv6 fd00:200::/64 outside), a WireGuard
/// daemon in each (tunnel addresses 10.201.0.0/24 and fd00:201::/64 inside), each peer's allowed-ips its /32 and /128.
/// A is the initiator: only A knows B's endpoint (in <see cref="IpFamily"/> outer), B learns A's from the handshake.
/// The peers share a preshared key. Every key is registered with <see cref="SecretWatch"/>, so a test whose daemons
/// log one, or whose metrics show one, fails when the pair is disposed.
/// Every name is unique to the instance; Dispose removes everything (daemons, namespaces, sockets, key files)
/// and writes the daemons' logs to the test output.
/// </summary>
public sealed class TunnelPair : IDisposable
{
    public const int ListenPort = 51820;
    public const int Mtu = 1420;

    private readonly List<IDisposable> _owned = [];
    private readonly ITestOutputHelper? _output;
    private readonly TemporaryDirectory _workDirectory;

    private TunnelPair(string prefix, ITestOutputHelper? output)
    {
        Prefix = prefix;
        _output = output;
        _workDirectory = new TemporaryDirectory();
    }

    public string Prefix { get; }

    public string WorkDirectory => _workDirectory.Path;

    public IpFamily OuterFamily { get; private set; }

    /// <summary>The file (0600) holding the peers' preshared key, base64.</summary>
    public string PresharedKeyPath { get; private set; } = null!;

    public TunnelNode A { get; private set; } = null!;

    public TunnelNode B { get; private set; } = null!;

    public static TunnelPair Create(string implementationA, string implementationB, IpFamily outerFamily, ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string>? daemonEnvironment = null)
    {
        var pair = new TunnelPair(NetworkNamespace.UniquePrefix(), output);
        try
        {
            pair.Build(implementationA, implementationB, outerFamily, daemonEnvironment);
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Creates and owns another namespace (named with this pair's prefix and <paramref name="suffix"/>).</summary>
    public NetworkNamespace AddNamespace(string suffix) => Own(NetworkNamespace.Create(Prefix + suffix));

    /// <summary>
    /// A third namespace C linked to <paramref name="target"/>'s namespace by its own veth (target side 10.202.0.1,
    /// C side 10.202.0.2), from which crafted datagrams reach the target daemon's port directly.
    /// </summary>
    public NetworkNamespace AddAttacker(TunnelNode target, out IPEndPoint daemonEndpoint)
    {
        var attacker = AddNamespace("c");
        var linkInTarget = Prefix + "xt";
        var linkInAttacker = Prefix + "xc";
        VethPair.Create(linkInTarget, target.Namespace, linkInAttacker, attacker);
        target.Namespace.Exec("ip", "addr", "add", "10.202.0.1/24", "dev", linkInTarget).EnsureSuccess();
        attacker.Exec("ip", "addr", "add", "10.202.0.2/24", "dev", linkInAttacker).EnsureSuccess();
        daemonEndpoint = new IPEndPoint(IPAddress.Parse("10.202.0.1"), target.ListenPort);
        return attacker;
    }

    /// <summary>Removes B from A's peers and adds it again: A forgets its sessions, so its next packet starts a new handshake.</summary>
    public void ResetInitiatorPeer()
    {
        A.Daemon.Wg("set", A.InterfaceName, "peer", B.PublicKey, "remove");
        Configure(A, B, withEndpoint: true);
    }

    /// <summary>Pings A → B through the tunnel until a reply (the first ping carries A's handshake).</summary>
    public bool Handshake(IpFamily innerFamily = IpFamily.V4, TimeSpan? timeout = null) =>
        A.PingUntilReply(B.Inner(innerFamily), timeout ?? TimeSpan.FromSeconds(15));

    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in new[] { A, B })
        {
            if (node is null)
            {
                continue;
            }
            var show = node.Daemon.TryWg("show", node.InterfaceName);
            text.AppendLine($"--- {node.Daemon.Implementation} {node.InterfaceName}: wg show (exit {show.ExitCode})")
                .AppendLine(show.StandardOutput.Trim() + show.StandardError.Trim())
                .AppendLine(node.Daemon.Describe());
        }
        return text.ToString();
    }

    public void Dispose()
    {
        if (_output is not null && A is not null)
        {
            try
            {
                _output.WriteLine(Describe());
            }
            catch (InvalidOperationException)
            {
            }
        }
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        _owned.Clear();
        _workDirectory.Dispose();
    }

    private T Own<T>(T resource)
        where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    private void Build(string implementationA, string implementationB, IpFamily outerFamily, IReadOnlyDictionary<string, string>? environment)
    {
        OuterFamily = outerFamily;
        var presharedKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(Key.Size));
        PresharedKeyPath = Path.Combine(WorkDirectory, "pair.psk");
        WriteSecret(PresharedKeyPath, presharedKey);
        SecretWatch.Suite.Register(presharedKey, $"tunnel pair {Prefix}: preshared key");
        var nsA = AddNamespace("a");
        var nsB = AddNamespace("b");
        VethPair.Create(Prefix + "va", nsA, Prefix + "vb", nsB);
        A = CreateNode(implementationA, nsA, 1, environment);
        B = CreateNode(implementationB, nsB, 2, environment);
        Configure(A, B, withEndpoint: true);
        Configure(B, A, withEndpoint: false);
        foreach (var node in new[] { A, B })
        {
            node.Namespace.Exec("ip", "addr", "add", $"{node.InnerV4}/24", "dev", node.InterfaceName).EnsureSuccess();
            node.Namespace.Exec("ip", "-6", "addr", "add", $"{node.InnerV6}/64", "dev", node.InterfaceName, "nodad").EnsureSuccess();
            node.Namespace.Exec("ip", "link", "set", node.InterfaceName, "mtu", Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "up")
                .EnsureSuccess();
        }
    }

    private TunnelNode CreateNode(string implementation, NetworkNamespace ns, int host, IReadOnlyDictionary<string, string>? environment)
    {
        var side = host == 1 ? "a" : "b";
        var link = Prefix + "v" + side;
        ns.Exec("ip", "addr", "add", $"10.200.0.{host}/24", "dev", link).EnsureSuccess();
        ns.Exec("ip", "-6", "addr", "add", $"fd00:200::{host}/64", "dev", link, "nodad").EnsureSuccess();
        var privateKey = Key.GeneratePrivate();
        var keyPath = Path.Combine(WorkDirectory, $"{side}.key");
        WriteSecret(keyPath, privateKey.ToBase64());
        SecretWatch.Suite.Register(privateKey.ToBase64(), $"tunnel pair {Prefix}: {side}.key");
        var daemon = Own(WireGuardDaemon.Start(implementation, ns, Prefix + "w" + side, environment));
        return new TunnelNode
        {
            Namespace = ns,
            Daemon = daemon,
            OuterLink = link,
            PrivateKeyPath = keyPath,
            PublicKey = privateKey.PublicKey().ToBase64(),
            OuterV4 = IPAddress.Parse($"10.200.0.{host}"),
            OuterV6 = IPAddress.Parse($"fd00:200::{host}"),
            InnerV4 = IPAddress.Parse($"10.201.0.{host}"),
            InnerV6 = IPAddress.Parse($"fd00:201::{host}"),
        };
    }

    private void Configure(TunnelNode node, TunnelNode peer, bool withEndpoint)
    {
        List<string> arguments =
        [
            "set", node.InterfaceName, "private-key", node.PrivateKeyPath, "listen-port", ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "peer", peer.PublicKey, "preshared-key", PresharedKeyPath, "allowed-ips", $"{peer.InnerV4}/32,{peer.InnerV6}/128",
        ];
        if (withEndpoint)
        {
            arguments.AddRange(["endpoint", peer.Endpoint(OuterFamily)]);
        }
        node.Daemon.Wg([.. arguments]);
    }

    /// <summary>Writes a file readable by its owner only (mode 0600 from creation).</summary>
    public static void WriteSecret(string path, string content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var writer = new StreamWriter(path, options);
        writer.WriteLine(content);
    }
}
