using Sitewire.Host.Linux;

namespace Sitewire.Host.Doctor.Checks;

/// <summary>
/// The interface's UDP listen port is not dropped by the input hook's chains (peers' handshakes must reach it), on
/// the uplinks toward the peers' endpoints and of the IPv4 default route; evaluated for IPv4 (endpoints are IPv4 so far).
/// </summary>
internal static class InputPortCheck
{
    public static IEnumerable<DoctorFinding> Run(DoctorContext context)
    {
        var port = context.WireGuard.ListenPort;
        if (port == 0)
        {
            yield break;
        }
        var uplinks = context.Snapshot.EndpointRoutes.Values.Select(r => r.Device).OfType<string>()
            .Concat(context.Snapshot.Routes.Where(r => r.Family == IpFamily.V4 && r.Destination == "default" && r.Table == "main").Select(r => r.Device).OfType<string>())
            .Distinct().DefaultIfEmpty(null);
        foreach (var uplink in uplinks)
        {
            var packet = new NetfilterPacket(IpFamily.V4, uplink, null, null, null, "udp", port, "new");
            if (NetfilterEvaluator.Blocker(context.Snapshot.Ruleset, "input", packet) is { } blocker)
            {
                var chain = blocker.Chain;
                var by = blocker.Rule is null ? $"the policy {chain.Policy} of {chain.Family} {chain.Table} {chain.Name}" : $"rule `{blocker.Rule.Text}`";
                yield return DoctorFinding.Problem("udp port", $"UDP port {port} is not open: incoming handshakes{(uplink is null ? "" : $" on {uplink}")} are dropped by {by}",
                    blocker.Rule is null
                        ? $"nft insert rule {chain.Family} {chain.Table} {chain.Name} udp dport {port} accept"
                        : $"nft delete rule {chain.Family} {chain.Table} {chain.Name} handle HANDLE (see: nft -a list chain {chain.Family} {chain.Table} {chain.Name}), or: nft insert rule {chain.Family} {chain.Table} {chain.Name} udp dport {port} accept",
                    $"iptables -I INPUT -p udp --dport {port} -j ACCEPT",
                    $"firewall-cmd --add-port={port}/udp && firewall-cmd --runtime-to-permanent");
                yield break;
            }
        }
        yield return DoctorFinding.Ok("udp port", $"UDP port {port} is open");
    }
}
