using Sitewire.Config.Topology;
using Sitewire.Crypto;
using Sitewire.Planner.Keys;

namespace Sitewire.Planner.Verify;

/// <summary>Keys for planning in memory: a node's declared public key, else a throwaway key pair. Nothing is read or written.</summary>
public static class VerifyKeys
{
    public static PlanKeys For(Topology topology)
    {
        var keys = new PlanKeys();
        foreach (var node in topology.Nodes)
        {
            if (node.PublicKey is { } declared)
            {
                keys.SetPublic(node.Name, declared);
            }
            else
            {
                keys.SetPrivate(node.Name, Key.GeneratePrivate());
            }
        }
        return keys;
    }
}
