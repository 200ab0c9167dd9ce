using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;
using Sitewire.Crypto;
using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Keys;

/// <summary>
/// Decides every key of a plan. Central keys: kept from the previous output directory when present,
/// generated otherwise (a public key in the topology must match the kept private key). Node-local
/// keys: the topology must carry each node's <c>public_key</c>. Each node's own mode is <see cref="Node.KeyModeUnder"/> the
/// plan's (a client's key is central unless it says otherwise). Preshared keys likewise kept or generated.
/// </summary>
public static class KeyProvisioner
{
    public static PlanKeys Provision(Topology topology, PlanOptions options, string? previousOutput)
    {
        var keys = new PlanKeys();
        var diagnostics = new List<Diagnostic>();
        for (var index = 0; index < topology.Nodes.Count; index++)
        {
            var node = topology.Nodes[index];
            if (node.KeyModeUnder(options.Keys) == KeyMode.NodeLocal)
            {
                if (node.PublicKey is { } declared)
                {
                    keys.SetPublic(node.Name, declared);
                }
                else
                {
                    diagnostics.Add(new Diagnostic(node.Location, $"nodes[{index}].public_key", $"node '{node.Name}' has no public key, and with node-local keys its private key never leaves the node", "run `sitewire genkey | tee /etc/wireguard/" + topology.Network.InterfaceName + ".key | sitewire pubkey` on the node and put the output in 'public_key:'"));
                }
                continue;
            }
            var privateKey = KeyDirectory.TryRead(previousOutput, KeyDirectory.PrivateKeyFile(node.Name));
            if (privateKey is { } kept && node.PublicKey is { } expected && kept.PublicKey() != expected)
            {
                diagnostics.Add(new Diagnostic(node.Location, $"nodes[{index}].public_key", $"the public key does not belong to the private key kept in {KeyDirectory.PrivateKeyFile(node.Name)}", "the output of `sitewire pubkey` for that key, or no 'public_key:' with central keys"));
                continue;
            }
            if (privateKey is null && node.PublicKey is not null)
            {
                diagnostics.Add(new Diagnostic(node.Location, $"nodes[{index}].public_key", $"node '{node.Name}' declares a public key but no private key is kept in {KeyDirectory.PrivateKeyFile(node.Name)}", "'--keys node-local', or the private key file in place"));
                continue;
            }
            keys.SetPrivate(node.Name, privateKey ?? Key.GeneratePrivate());
        }
        if (diagnostics.Count > 0)
        {
            throw new DiagnosticsException(diagnostics);
        }
        if (options.PresharedKeys)
        {
            foreach (var (nodeA, nodeB) in PeerLinks.Pairs(topology))
            {
                keys.SetPreshared(nodeA, nodeB, KeyDirectory.TryRead(previousOutput, KeyDirectory.PresharedKeyFile(nodeA, nodeB)) ?? Key.GeneratePreshared());
            }
        }
        return keys;
    }
}
