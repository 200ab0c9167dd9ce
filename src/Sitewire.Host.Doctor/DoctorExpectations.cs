using System.Net.Sockets;
using Sitewire.Planner.Expected;

namespace Sitewire.Host.Doctor;

/// <summary>Derives a node's <see cref="DoctorExpectation"/> from its <see cref="ExpectedState"/> (the plan's file, or `--topology --node`).</summary>
public static class DoctorExpectations
{
    public static DoctorExpectation For(ExpectedState state) =>
        new(state.Lan?.Interface, state.Lan?.Masquerade ?? false, state.BehindNat, state.Forwards,
            state.Lan?.Prefixes.Any(prefix => prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6) ?? false, state.MssClamp,
            state.FlowPolicy is not null,
            state.PrefixMaps.Count > 0 ? [.. state.PrefixMaps.Select(map => (map.Real, map.Mapped))] : null);
}
