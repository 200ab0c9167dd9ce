namespace Sitewire.Planner.Model;

/// <summary>
/// What a firewalld zone does with a packet that enters by it and nothing in the zone accepted (firewalld ≥ 1.0, input and
/// forward alike): <see cref="Default"/> rejects it but lets ICMP in; <see cref="Accept"/> (the zone `trusted`) takes everything;
/// <see cref="Drop"/> and <see cref="Reject"/> refuse ICMP too.
/// </summary>
public enum FirewalldTarget
{
    Default,
    Accept,
    Drop,
    Reject,
}
