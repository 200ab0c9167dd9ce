using System.Buffers.Binary;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Cookies;
using Sitewire.Tunnel.Messages;
using Sitewire.Tunnel.Noise;

namespace Sitewire.Fuzz;

/// <summary>
/// Writes the seeds of the two WireGuard targets: real messages between the fixed keys of
/// <see cref="WireGuardMessageTarget"/> (each passes the type, index and mac1 checks there), and inner IPv4/IPv6 packets.
/// </summary>
internal static class WireGuardSeeds
{
    public static void Write(string directory)
    {
        var messages = Directory.CreateDirectory(Path.Combine(directory, "wireguard-message")).FullName;
        var local = WireGuardMessageTarget.Local;
        var remote = WireGuardMessageTarget.Remote;
        var now = WireGuardMessageTarget.Now;

        var initiation = new byte[MessageInitiation.Size];
        Check(new Handshake(remote, local.PublicKey, default).TryCreateInitiation(0x4004, now, initiation));
        File.WriteAllBytes(Path.Combine(messages, "initiation"), initiation);

        var pending = new Handshake(local, remote.PublicKey, default);
        var ours = new byte[MessageInitiation.Size];
        Check(pending.TryCreateInitiation(WireGuardMessageTarget.PendingIndex, now, ours));
        var atRemote = new Handshake(remote, local.PublicKey, default);
        Check(Handshake.TryReadInitiation(remote, ours, key => key == local.PublicKey ? atRemote : null, now, out _, out _));
        var response = new byte[MessageResponse.Size];
        Check(atRemote.TryCreateResponse(0x5005, now, response, out _));
        File.WriteAllBytes(Path.Combine(messages, "response"), response);

        var cookieReply = new byte[MessageCookieReply.Size];
        new CookieChecker(remote).CreateReply(ours, WireGuardMessageTarget.Source, now, cookieReply);
        File.WriteAllBytes(Path.Combine(messages, "cookie-reply"), cookieReply);

        var (_, sending) = WireGuardMessageTarget.CompleteHandshake(local, remote);
        foreach (var (name, packet) in InnerPackets().Where(p => p.Name is "keepalive" or "ipv4-icmp"))
        {
            var transport = new byte[Keypair.MessageLength(packet.Length)];
            packet.CopyTo(transport, MessageTransportHeader.Size);
            Check(sending.TryNextSendCounter(out var counter));
            var length = sending.Seal(transport, packet.Length, counter);
            File.WriteAllBytes(Path.Combine(messages, "transport-" + name), transport[..length]);
        }

        var inner = Directory.CreateDirectory(Path.Combine(directory, "wireguard-transport")).FullName;
        foreach (var (name, packet) in InnerPackets().Where(p => p.Packet.Length > 0))
        {
            File.WriteAllBytes(Path.Combine(inner, name), packet);
        }
    }

    private static IEnumerable<(string Name, byte[] Packet)> InnerPackets()
    {
        yield return ("keepalive", []); // a seed for the outer target only: afl-fuzz skips empty files
        var ipv4 = new byte[28];
        ipv4[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ipv4.AsSpan(2), (ushort)ipv4.Length);
        ipv4[8] = 64;
        ipv4[9] = 1;
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }.CopyTo(ipv4, 12);
        ipv4[20] = 8;
        yield return ("ipv4-icmp", ipv4);
        var ipv6 = new byte[48];
        ipv6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ipv6.AsSpan(4), 8);
        ipv6[6] = 58;
        ipv6[7] = 64;
        ipv6[8] = 0xfd;
        ipv6[23] = 1;
        ipv6[24] = 0xfd;
        ipv6[39] = 2;
        ipv6[40] = 128;
        yield return ("ipv6-icmp", ipv6);
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("a seed message could not be made");
        }
    }
}
