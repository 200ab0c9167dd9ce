namespace Sitewire.Planner.Model;

/// <summary>Where a host's filter meets a packet: addressed to the host itself, or forwarded through it.</summary>
public enum Chain
{
    Input,
    Forward,
}
