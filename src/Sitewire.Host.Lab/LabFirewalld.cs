using System.Diagnostics;
using System.Globalization;
using System.Security;
using Sitewire.Host.Processes;
using Sitewire.Planner.Layout;

namespace Sitewire.Host.Lab;

/// <summary>
/// Runs the real firewalld on each RHEL-family lab node (<see cref="StartingFirewall.Firewalld"/>), in the node's
/// network namespace, before `wg-quick up`. Flow per node, all nodes in parallel: write the node's own configuration
/// (NODE_DIR/firewalld/etc, passed as `--system-config`, so /etc/firewalld is never read or written) → start a private
/// system bus (`dbus-daemon`, socket NODE_DIR/dbus/system_bus_socket) → start firewalld on it → wait until it reports
/// itself running. Both daemons run inside the node's namespace, so the lab records them (PID, command line,
/// start time) and teardown, `lab down` and the next run's sweep stop them with the namespace's other processes.
/// Every command the lab runs in a node (<see cref="LabExec"/>: wg-quick and its PostUp, `lab exec`, doctor) gets
/// <see cref="BusAddress"/> as DBUS_SYSTEM_BUS_ADDRESS, so firewall-cmd talks to the node's own firewalld, and on a
/// node without one finds no bus (never the machine's own system bus and firewalld).
///
/// The starting state is the one verify assumes (see ModelBuilder.Firewall): firewalld ≥ 1.0 with default zone
/// `public` opening ssh, dhcpv6-client and cockpit and forwarding within itself, the node's own interfaces in it
/// (on RHEL NetworkManager adds them and adds them again after a reload; here they are in the zone's permanent
/// configuration, which a reload keeps the same way), the tunnel in no zone, and the ports flows name on the node
/// opened as by whoever runs those services.
/// </summary>
public static class LabFirewalld
{
    public const string ZoneName = "public";
    private static readonly string[] Services = ["ssh", "dhcpv6-client", "cockpit"];
    private static readonly string[] Commands = ["firewalld", "firewall-cmd", "dbus-daemon", "dbus-send"];

    /// <summary>How long firewalld may take to answer `--state` (about 2 s on an idle machine; a loaded one is slower).</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The commands firewalld in the lab needs, with their Debian packages.</summary>
    public static IReadOnlyDictionary<string, string> RequiredCommands { get; } = new Dictionary<string, string>
    {
        ["firewalld"] = "firewalld",
        ["firewall-cmd"] = "firewalld",
        ["dbus-daemon"] = "dbus",
        ["dbus-send"] = "dbus-bin",
    };

    /// <summary>The node's private system bus; it exists only while the node's firewalld runs.</summary>
    public static string BusAddress(LabState state, string host) => "unix:path=" + BusSocket(state, host);

    private static string BusSocket(LabState state, string host) => Path.Combine(state.NodeDirectory(host), "dbus", "system_bus_socket");

    private static string Directory(LabState state, string host) => Path.Combine(state.NodeDirectory(host), "firewalld");

    public static IReadOnlyList<LabHost> Nodes(LabBlueprint blueprint) =>
        [.. blueprint.Hosts.Where(h => h.Role == LabRole.Node && h.Firewall == StartingFirewall.Firewalld)];

    /// <summary>
    /// Why firewalld cannot start on <paramref name="nodes"/>: the commands it needs that <paramref name="which"/> does not
    /// find, with their Debian packages and the two ways on (`--install-deps`, `--no-firewalld`); null when all are there.
    /// </summary>
    internal static string? CannotStart(IReadOnlyList<LabHost> nodes, Func<string, string?> which) =>
        Commands.Where(c => which(c) is null).ToList() is { Count: > 0 } missing
            ? $"{string.Join(", ", nodes.Select(n => n.Name))} run firewalld (RHEL family), but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not installed " +
              $"(Debian packages {string.Join(' ', missing.Select(c => RequiredCommands[c]).Distinct())}): run `sudo ./sitewire lab --install-deps`, or `sitewire lab --no-firewalld` to start those nodes with an empty firewall"
            : null;

    /// <summary>Starts firewalld on every node that runs it; throws naming the nodes and the reason when one cannot start.</summary>
    public static void Start(LabBlueprint blueprint, LabState state, Action<string> log)
    {
        var nodes = Nodes(blueprint);
        if (nodes.Count == 0)
        {
            return;
        }
        if (CannotStart(nodes, Executables.Which) is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        Parallel.ForEach(nodes, node =>
        {
            if (StartOne(blueprint, state, node) is { } failure)
            {
                lock (failures)
                {
                    failures.Add($"{node.Name}: {failure}");
                }
            }
        });
        LabTunnels.RecordProcesses(state);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"firewalld did not start: {string.Join("; ", failures.Order(StringComparer.Ordinal))} (or run `sitewire lab --no-firewalld`)");
        }
        log($"[lab] firewalld: {string.Join(", ", nodes.Select(n => n.Name))} (private system bus each, default zone {ZoneName})... ok {clock.Elapsed.TotalSeconds:0.0}s");
    }

    private static string? StartOne(LabBlueprint blueprint, LabState state, LabHost node)
    {
        var directory = Directory(state, node.Name);
        var etc = Path.Combine(directory, "etc");
        System.IO.Directory.CreateDirectory(Path.Combine(etc, "zones"));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(BusSocket(state, node.Name))!);
        File.WriteAllText(Path.Combine(etc, "firewalld.conf"), Configuration);
        File.WriteAllText(Path.Combine(etc, "zones", ZoneName + ".xml"), Zone(blueprint, node.Name));
        var busConfig = Path.Combine(directory, "bus.conf");
        File.WriteAllText(busConfig, BusConfiguration(BusSocket(state, node.Name)));
        var ns = state.NamespaceOf(node.Name);
        var environment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress(state, node.Name) };

        Background(ns, ["dbus-daemon", "--config-file=" + busConfig, "--nofork", "--nopidfile"], Path.Combine(directory, "dbus-daemon.log"), environment);
        if (!LabWait.Until(() => File.Exists(BusSocket(state, node.Name)), TimeSpan.FromSeconds(10), PollInterval))
        {
            return $"its system bus (dbus-daemon) did not start; log: {Path.Combine(directory, "dbus-daemon.log")}";
        }
        var log = Path.Combine(directory, "firewalld.log");
        Background(ns, ["firewalld", "--nofork", "--nopid", "--system-config", etc, "--log-target", "file", "--log-file", log], Path.Combine(directory, "firewalld.out"), environment);
        var running = LabWait.Until(() => IsRunning(ns, environment), StartLimit, PollInterval);
        return running ? null : $"firewalld did not report itself running (`firewall-cmd --state`) within {StartLimit.TotalSeconds:0} s; log: {log}";
    }

    /// <summary>
    /// firewalld's `state` property is RUNNING (what `firewall-cmd --state` reads), asked with dbus-send: a Python firewall-cmd
    /// per poll would compete for the CPU with the firewalld it waits for. A call made while firewalld still starts waits
    /// for its main loop.
    /// </summary>
    private static bool IsRunning(string ns, IReadOnlyDictionary<string, string> environment) =>
        Shell.Run("ip", ["netns", "exec", ns, "dbus-send", "--system", "--print-reply", "--reply-timeout=5000", "--dest=org.fedoraproject.FirewallD1",
            "/org/fedoraproject/FirewallD1", "org.freedesktop.DBus.Properties.Get", "string:org.fedoraproject.FirewallD1", "string:state"],
            TimeSpan.FromSeconds(10), environment: environment).StandardOutput.Contains("\"RUNNING\"", StringComparison.Ordinal);

    private static void Background(string ns, IReadOnlyList<string> command, string output, IReadOnlyDictionary<string, string> environment) =>
        Shell.Run("ip", ["netns", "exec", ns, "sh", "-c", "out=$1; shift; \"$@\" >\"$out\" 2>&1 </dev/null &", "sh", output, .. command], environment: environment).EnsureSuccess();

    /// <summary>firewalld.conf as RHEL 9 ships it, in the keys that matter here (nftables backend, reload flushes runtime changes).</summary>
    private const string Configuration = """
        # written by sitewire lab: firewalld as RHEL 9 ships it
        DefaultZone=public
        CleanupOnExit=yes
        Lockdown=no
        IPv6_rpfilter=yes
        IndividualCalls=no
        LogDenied=off
        FirewallBackend=nftables
        FlushAllOnReload=yes

        """;

    /// <summary>
    /// The default zone: RHEL 9's `public` (ssh, dhcpv6-client, cockpit, intra-zone forwarding), the node's own interfaces
    /// in it, and the ports flows name on the node.
    /// </summary>
    public static string Zone(LabBlueprint blueprint, string node)
    {
        var interfaces = blueprint.Wires.SelectMany(w => new[] { w.A, w.B }).Where(i => i.Host == node).Select(i => i.Name).Distinct();
        var ports = blueprint.Services.Where(s => s.Host == node && s.Protocol != LabProtocol.Icmp)
            .Select(s => (Port: s.Port, Protocol: s.Protocol == LabProtocol.Udp ? "udp" : "tcp")).Distinct();
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone>\n  <short>Public</short>\n"
            + string.Concat(Services.Select(s => $"  <service name=\"{s}\"/>\n"))
            + string.Concat(ports.Select(p => $"  <port protocol=\"{p.Protocol}\" port=\"{p.Port.ToString(CultureInfo.InvariantCulture)}\"/>\n"))
            + string.Concat(interfaces.Select(i => $"  <interface name=\"{SecurityElement.Escape(i)}\"/>\n"))
            + "  <forward/>\n</zone>\n";
    }

    /// <summary>A system bus for one node: root only (the lab runs as root), no service activation, no polkit (firewalld then authorises uid 0).</summary>
    private static string BusConfiguration(string socket) => $"""
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>system</type>
          <listen>unix:path={SecurityElement.Escape(socket)}</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow user="root"/>
            <allow own="*"/>
            <allow send_destination="*"/>
            <allow receive_sender="*"/>
          </policy>
        </busconfig>

        """;
}
