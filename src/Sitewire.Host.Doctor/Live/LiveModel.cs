using Sitewire.Planner.Model;
using Sitewire.Planner.Verify;

namespace Sitewire.Host.Live;

/// <summary>The network model with every snapshotted node as deployed (<see cref="LiveVerifier.Model"/>), and the findings on its snapshots.</summary>
public sealed record LiveModel(Network Network, IReadOnlyList<Finding> Findings);
