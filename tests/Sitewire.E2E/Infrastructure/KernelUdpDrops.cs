using System.Globalization;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Datagrams the kernel drops before a socket reads them, so no daemon can count them: the namespace's UDP receive-buffer
/// overflows (/proc/net/snmp Udp RcvbufErrors, per namespace) and the input backlog's drops (/proc/net/softnet_stat,
/// machine-wide, so other traffic can only raise it).
/// </summary>
public static class KernelUdpDrops
{
    public static long Read(NetworkNamespace networkNamespace) => ReceiveBufferErrors(networkNamespace) + BacklogDrops();

    private static long ReceiveBufferErrors(NetworkNamespace networkNamespace)
    {
        var udp = networkNamespace.Exec("cat", "/proc/net/snmp").EnsureSuccess().StandardOutput
            .Split('\n').Where(line => line.StartsWith("Udp: ", StringComparison.Ordinal)).ToList();
        var names = udp[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = udp[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(values[Array.IndexOf(names, "RcvbufErrors")], CultureInfo.InvariantCulture);
    }

    private static long BacklogDrops() =>
        File.ReadAllLines("/proc/net/softnet_stat")
            .Sum(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
