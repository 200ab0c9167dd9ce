namespace Sitewire.Host.Doctor;

/// <summary>
/// What the topology says about the node (with `--topology FILE --node NAME`): its LAN interface, whether tunnel
/// traffic into the LAN must be masqueraded, whether it sits behind NAT and must forward, whether its LAN has an
/// IPv6 prefix (then IPv6 crosses the node), whether the plan clamps the MSS (`mss_clamp`). Without a topology the doctor
/// infers these (see <see cref="DoctorContext"/>) and expects a clamp.
/// </summary>
public sealed record DoctorExpectation(string? LanInterface, bool MasqueradeLan, bool BehindNat, bool Forwards, bool LanIpv6, bool MssClamp = true);
