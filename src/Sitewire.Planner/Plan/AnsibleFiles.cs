using System.Text;
using Sitewire.Config.Topology;

namespace Sitewire.Planner.Plan;

/// <summary>
/// <c>OUT/ansible/inventory.ini</c> and <c>playbook.yml</c>: push each node's config (0600),
/// create node-local keys where they are missing, enable <c>wg-quick@&lt;iface&gt;</c>.
/// Clients (phones, laptops) are left out: they import their config or QR code themselves.
/// </summary>
public static class AnsibleFiles
{
    public static IEnumerable<PlanFile> Render(NetworkPlan plan)
    {
        yield return PlanFile.Text("ansible/inventory.ini", Inventory(plan));
        yield return PlanFile.Text("ansible/playbook.yml", Playbook(plan));
    }

    private static string Inventory(NetworkPlan plan)
    {
        var text = new StringBuilder();
        text.Append("# Set ansible_host for nodes without a public endpoint (their LAN or management address).\n");
        text.Append("[sitewire]\n");
        foreach (var node in plan.Topology.Nodes.Where(node => node.Role != NodeRole.Client))
        {
            text.Append(node.Name);
            if (node.Endpoint is { } endpoint)
            {
                text.Append($" ansible_host={endpoint.Host}");
            }
            text.Append($" sitewire_os={node.Os.ToString().ToLowerInvariant()}\n");
        }
        text.Append($"\n[sitewire:vars]\nsitewire_interface={plan.InterfaceName}\n");
        return text.ToString();
    }

    private static string Playbook(NetworkPlan plan)
    {
        var tunnel = plan.InterfaceName;
        var text = new StringBuilder();
        text.Append("- name: Deploy the Sitewire plan\n  hosts: sitewire\n  become: true\n  tasks:\n");
        text.Append("    - name: Install WireGuard tools\n      ansible.builtin.package:\n        name: wireguard-tools\n        state: present\n\n");
        if (plan.Options.Keys == KeyMode.NodeLocal)
        {
            text.Append($"    - name: Create the node's private key on the node when it has none\n      ansible.builtin.shell: umask 077 && wg genkey > {NetworkPlanner.NodeLocalKeyPath(tunnel)}\n      args:\n        creates: {NetworkPlanner.NodeLocalKeyPath(tunnel)}\n\n");
        }
        text.Append($"    - name: Copy the wg-quick config\n      ansible.builtin.copy:\n        src: \"../{{{{ inventory_hostname }}}}/{tunnel}.conf\"\n        dest: /etc/wireguard/{tunnel}.conf\n        owner: root\n        group: root\n        mode: \"0600\"\n      notify: Restart the tunnel\n\n");
        text.Append($"    - name: Enable and start wg-quick@{tunnel}\n      ansible.builtin.systemd:\n        name: wg-quick@{tunnel}\n        enabled: true\n        state: started\n\n");
        text.Append($"  handlers:\n    - name: Restart the tunnel\n      ansible.builtin.systemd:\n        name: wg-quick@{tunnel}\n        state: restarted\n");
        return text.ToString();
    }
}
