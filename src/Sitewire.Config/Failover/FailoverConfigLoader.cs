using System.Net;
using Sitewire.Config.Input;
using Sitewire.Config.Topology;
using Sitewire.Config.Yaml;
using Sitewire.Crypto;

namespace Sitewire.Config.Failover;

/// <summary>
/// Reads a failover agent's YAML configuration (<see cref="FailoverConfigWriter"/> writes it): every field checked, each
/// error with file:line:col and the field; any error means no settings.
/// </summary>
public static class FailoverConfigLoader
{
    public static FailoverLoadResult Load(string path)
    {
        var text = BoundedTextFile.Read(path, "a readable failover agent configuration", out var error);
        return text is null ? new FailoverLoadResult(null, [error!]) : LoadText(text, path);
    }

    public static FailoverLoadResult LoadText(string text, string file)
    {
        var (document, unreadable) = YamlDocument.Read(text, file, "one mapping with 'interface:', 'carried:' and 'relays:'");
        if (document is null)
        {
            return new FailoverLoadResult(null, [unreadable!]);
        }
        document.RejectUnknown("interface", "carried", "probe_interval_ms", "fail_after", "hold_down_s", "state_file", "relays");
        var interfaceName = document.String("interface", required: true);
        if (interfaceName is not null && !TopologyValues.IsInterfaceName(interfaceName))
        {
            document.Context.Error(document.Get("interface")!, "interface", $"'{interfaceName}' is not a valid interface name", TopologyValues.InterfaceNameGrammar);
        }
        var carried = Prefixes(document, "carried");
        var defaults = FailoverTimings.Default;
        var timings = new FailoverTimings(
            TimeSpan.FromMilliseconds(document.Integer("probe_interval_ms", 100, 60_000) ?? (int)defaults.ProbeInterval.TotalMilliseconds),
            document.Integer("fail_after", 1, 100) ?? defaults.FailAfter,
            TimeSpan.FromSeconds(document.Integer("hold_down_s", 0, 3600) ?? (int)defaults.HoldDown.TotalSeconds));
        var stateFile = document.String("state_file");
        var relays = document.Sequence("relays").Select(entry => Relay(entry.Item, entry.Path, document.Context)).ToList();
        if (document.Get("relays") is { } relaysNode && relays.Count < 2)
        {
            document.Context.Error(relaysNode, "relays", $"{relays.Count} relay{(relays.Count == 1 ? "" : "s")}, nothing to fail over to", "two or more relays, the preferred first");
        }
        else if (document.Get("relays") is null)
        {
            document.Context.Error(document.Node, "relays", "missing required field", "a 'relays' list, the preferred first");
        }
        if (document.Context.HasErrors || interfaceName is null)
        {
            return new FailoverLoadResult(null, document.Context.InFileOrder());
        }
        return new FailoverLoadResult(
            new FailoverSettings(interfaceName, carried, [.. relays.OfType<FailoverRelay>()], timings, stateFile ?? FailoverSettings.DefaultStateFile(interfaceName)),
            []);
    }

    private static FailoverRelay? Relay(YamlDotNet.RepresentationModel.YamlNode item, string path, YamlReadContext context)
    {
        if (item is not YamlDotNet.RepresentationModel.YamlMappingNode mapping)
        {
            context.Error(item, path, "not a mapping", "name, public_key, probe and own");
            return null;
        }
        var map = new YamlMap(mapping, path, context);
        map.RejectUnknown("name", "public_key", "probe", "own");
        var name = map.String("name", required: true);
        Key? publicKey = null;
        if (map.String("public_key", required: true) is { } keyText)
        {
            if (Key.TryParseBase64(keyText, out var parsed))
            {
                publicKey = parsed;
            }
            else
            {
                context.Error(map.Get("public_key")!, map.FieldPath("public_key"), "not a WireGuard public key", "44 characters of base64 (32 bytes), as `wg pubkey` prints");
            }
        }
        IPAddress? probe = null;
        if (map.String("probe", required: true) is { } probeText)
        {
            probe = TopologyValues.ParseAddress(probeText, out var error);
            if (probe is null)
            {
                context.Error(map.Get("probe")!, map.FieldPath("probe"), error!, "the relay's overlay address");
            }
        }
        var own = Prefixes(map, "own");
        return name is null || publicKey is not { } key || probe is null ? null : new FailoverRelay(name, key, probe, own);
    }

    private static List<IPNetwork> Prefixes(YamlMap map, string key)
    {
        if (map.Get(key) is null)
        {
            map.Context.Error(map.Node, map.FieldPath(key), "missing required field", $"a '{key}' list of CIDR prefixes");
            return [];
        }
        var prefixes = new List<IPNetwork>();
        foreach (var (item, path) in map.Sequence(key))
        {
            var text = item is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } value } ? value : YamlMap.Describe(item);
            if (TopologyValues.ParsePrefix(text, out var error) is { } prefix)
            {
                prefixes.Add(prefix);
            }
            else
            {
                map.Context.Error(item, path, error!, "a CIDR prefix such as 192.168.200.0/24");
            }
        }
        return prefixes;
    }
}
