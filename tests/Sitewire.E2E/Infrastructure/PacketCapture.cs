using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// Captures UDP datagrams on a link inside a namespace with tcpdump (-U -w FILE), and reads them back from the
/// pcap file (Ethernet, IPv4 or IPv6 without extension headers). The tcpdump process belongs to the namespace.
/// </summary>
public sealed class PacketCapture : IDisposable
{
    private readonly Process _process;
    private readonly DaemonLog _log = new();
    private readonly string _file;

    private PacketCapture(Process process, string file)
    {
        _process = process;
        _file = file;
    }

    /// <summary>Starts tcpdump and returns once it listens; it exits by itself after <paramref name="count"/> datagrams.</summary>
    public static PacketCapture Start(NetworkNamespace networkNamespace, string link, string file, int count, string filter = "udp")
    {
        var process = networkNamespace.Start("tcpdump",
            ["-i", link, "-n", "-U", "-Z", "root", "-s", "2048", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", file, filter]);
        var capture = new PacketCapture(process, file);
        capture._log.Attach(process);
        if (!Poll.Until(() => capture._log.Tail("").Contains("listening on", StringComparison.Ordinal) || process.HasExited, TimeSpan.FromSeconds(10),
                TimeSpan.FromMilliseconds(20)) || process.HasExited)
        {
            var tail = capture._log.Tail("  tcpdump: ");
            capture.Dispose();
            throw new InvalidOperationException($"tcpdump on {link} did not start:\n{tail}");
        }
        return capture;
    }

    /// <summary>Waits for tcpdump to have seen its count (or stops it at the timeout) and returns what it wrote.</summary>
    public IReadOnlyList<CapturedDatagram> Finish(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        return File.Exists(_file) ? Parse(File.ReadAllBytes(_file)) : [];
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    private static List<CapturedDatagram> Parse(byte[] pcap)
    {
        const int GlobalHeaderSize = 24;
        const int RecordHeaderSize = 16;
        const int EthernetHeaderSize = 14;
        var datagrams = new List<CapturedDatagram>();
        if (pcap.Length < GlobalHeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(pcap) != 0xa1b2c3d4)
        {
            return datagrams;
        }
        var offset = GlobalHeaderSize;
        while (offset + RecordHeaderSize <= pcap.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(offset + 8));
            var frame = pcap.AsSpan(offset + RecordHeaderSize, Math.Min(length, pcap.Length - offset - RecordHeaderSize));
            offset += RecordHeaderSize + length;
            if (frame.Length < EthernetHeaderSize)
            {
                continue;
            }
            var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
            var ip = frame[EthernetHeaderSize..];
            var datagram = etherType switch
            {
                0x0800 when ip.Length >= 20 && ip[9] == 17 => Udp(new IPAddress(ip[12..16]), new IPAddress(ip[16..20]), ip[((ip[0] & 0xf) * 4)..]),
                0x86dd when ip.Length >= 40 && ip[6] == 17 => Udp(new IPAddress(ip[8..24]), new IPAddress(ip[24..40]), ip[40..]),
                _ => null,
            };
            if (datagram is not null)
            {
                datagrams.Add(datagram);
            }
        }
        return datagrams;
    }

    private static CapturedDatagram? Udp(IPAddress source, IPAddress destination, ReadOnlySpan<byte> udp)
    {
        if (udp.Length < 8)
        {
            return null;
        }
        var length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(udp[4..]), udp.Length);
        return new CapturedDatagram(source, BinaryPrimitives.ReadUInt16BigEndian(udp), destination, BinaryPrimitives.ReadUInt16BigEndian(udp[2..]),
            udp[8..length].ToArray());
    }
}
