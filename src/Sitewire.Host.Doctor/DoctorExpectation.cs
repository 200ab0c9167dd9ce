namespace Sitewire.Host.Doctor;

/// <summary>
/// What the plan says about the node (its expected-state file, or `--topology FILE --node NAME`): its LAN interface, whether tunnel
/// traffic into the LAN must be masqueraded, whether it sits behind NAT and must forward, whether its LAN has an
/// IPv6 prefix (then IPv6 crosses the node), whether the plan clamps the MSS (`mss_clamp`), whether the plan filters new
/// connections from the tunnel by the flow policy (then only their replies must pass every forward chain; the policy's
/// rules are checked against the plan), and its mapped LAN subnets (<c>mapped_as</c>: real prefix, mapped prefix; null
/// when none). Without the plan the doctor infers these (see <see cref="DoctorContext"/>), expects a clamp, no flow
/// policy and no map.
/// </summary>
public sealed record DoctorExpectation(string? LanInterface, bool MasqueradeLan, bool BehindNat, bool Forwards, bool LanIpv6, bool MssClamp = true,
    bool FlowPolicy = false, IReadOnlyList<(System.Net.IPNetwork Real, System.Net.IPNetwork Mapped)>? Maps = null);
