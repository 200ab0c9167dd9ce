namespace Sitewire.Host.Failover;

/// <summary>Gives the carried prefixes to one relay's peer and leaves every other relay's peer only its own prefixes.</summary>
public interface IAllowedIpsMover
{
    void MoveTo(int relayIndex);
}
