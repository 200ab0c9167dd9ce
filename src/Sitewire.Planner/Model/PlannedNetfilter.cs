namespace Sitewire.Planner.Model;

/// <summary>The host's netfilter as the model built it from the plan: its <see cref="Firewall"/> and its masquerade rules.</summary>
public sealed class PlannedNetfilter(Host host) : IHostNetfilter
{
    public FilterDrop? Check(Chain chain, string inInterface, string? outInterface, Packet packet, bool established) =>
        host.Firewall.Check(chain, inInterface, outInterface, packet, established);

    public string Accepting(Chain chain, string inInterface, string? outInterface, Packet packet, bool established) =>
        host.Firewall.Accepting(chain, inInterface, outInterface, packet, established);

    public FilterDrop? CheckInvalid(Host at, Packet packet) => host.Firewall.CheckInvalid(at, packet);

    public FilterDrop? CheckOneWayTcp(Host at, Packet packet) => host.Firewall.CheckOneWayTcp(at, packet);

    public bool Masquerades(string outInterface, Packet packet) => host.Masquerades.Exists(m => m.Matches(outInterface, packet.Source));
}
