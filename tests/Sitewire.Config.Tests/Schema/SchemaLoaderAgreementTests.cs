using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Schema;

/// <summary>
/// The hand-kept schema (schemas/topology.schema.json) and the loader agree, by tests that cannot miss a field: the
/// fields each object may have are read from the loader itself (its "unknown field" diagnostic lists them) and must be
/// the schema's; every topology the loader accepts validates; and random single-field changes of those topologies
/// (every field the loader knows, present or not, set to values of every kind, or removed) are accepted by both or
/// refused by both. The only refusals the schema may not share are the loader's checks across fields (an address in
/// the overlay, a host on its LAN, a name that exists) and host bits in a prefix (a relation between an address and its
/// length that a pattern cannot state): a refusal whose reason is the value's own grammar, type or range must be the
/// schema's too.
/// </summary>
public sealed partial class SchemaLoaderAgreementTests
{
    private static readonly JsonNode SchemaDocument = JsonNode.Parse(File.ReadAllText(PublishedSchema.Path))!;

    private static readonly string KeptFacts = Path.Combine(RepositoryPaths.Root, "tests", "Sitewire.Config.Tests", "Topology", "kept-facts.yaml");

    /// <summary>Each kind of object: where one is in examples/seed.yaml (or tests' kept-facts.yaml), and where the schema declares its properties.</summary>
    private static readonly (string Kind, string File, string[] Path, string SchemaProperties)[] ObjectKinds =
    [
        ("topology", RepositoryPaths.Example("seed.yaml"), [], "/properties"),
        ("network", RepositoryPaths.Example("seed.yaml"), ["network"], "/$defs/network/properties"),
        ("node", RepositoryPaths.Example("seed.yaml"), ["nodes", "0"], "/$defs/node/properties"),
        ("lan", RepositoryPaths.Example("seed.yaml"), ["nodes", "1", "lan"], "/$defs/lan/properties"),
        ("subnet", RepositoryPaths.Example("seed.yaml"), ["nodes", "1", "lan", "subnets", "1"], "/$defs/lan/properties/subnets/items/anyOf/1/properties"),
        ("host", RepositoryPaths.Example("seed.yaml"), ["hosts", "0"], "/$defs/host/properties"),
        ("flow", RepositoryPaths.Example("seed.yaml"), ["flows", "0"], "/$defs/flow/properties"),
        ("allowedIpsChange", KeptFacts, ["nodes", "0", "allowed_ips", "0"], "/$defs/node/properties/allowed_ips/items/properties"),
        ("dropRule", KeptFacts, ["nodes", "1", "drop", "0"], "/$defs/node/properties/drop/items/properties"),
    ];

    /// <summary>Values of every kind a field might be given: each grammar the loader knows, near misses, other types.</summary>
    private static readonly string[] Values =
    [
        "\"\"", "\"x\"", "\"eth0\"", "\"wg0.x\"", "\"..\"", "\"a-very-long-ifname\"", "\"10.200.0.77\"", "\"10.0.0.0/24\"", "\"10.0.0.1/24\"",
        "\"fd00::1\"", "\"fd00::/64\"", "\"fd00::1/64\"", "\"10.0.0.300\"", "\"10.0.0.0/33\"", "\"203.0.113.9:51820\"", "\"relay.example.net:51820\"",
        "\"[fd00::1]:51820\"", "\"host:99999\"", "\"80/tcp\"", "\"80/tcp/http\"", "\"99999/udp\"", "\"pad:80/tcp\"", "\"172.17.50.1:80/udp\"",
        "\"ubuntu\"", "\"fedora\"", "\"windows\"", "\"mesh\"", "\"star\"", "\"relay\"", "\"client\"", "\"routed\"", "\"none\"", "\"node\"",
        "\"router-with-route\"", "\"allow\"", "\"deny\"", "\"ipv6\"", "\"inet6\"", "\"bad name!\"", "\"home\"", "\"office\"", "\"yes\"", "\"true\"",
        "\"51820\"", "\"a\\u0007b\"", "\"-x\"",
        "0", "1", "25", "575", "576", "1279", "1280", "1420", "9000", "9001", "65535", "65536", "-1", "1.5", "true", "false", "null",
        "[]", "[\"x\"]", "[\"80/tcp\"]", "{}", "{\"a\": 1}",
    ];

    [Fact]
    public void Every_topology_the_loader_accepts_validates_against_the_schema()
    {
        Assert.True(TopologyCorpus.Accepted.Count > 60, $"only {TopologyCorpus.Accepted.Count} topologies in the corpus");
        Assert.All(TopologyCorpus.Accepted, entry =>
        {
            var result = PublishedSchema.Evaluate(entry.Yaml);
            Assert.True(result.IsValid, entry.Name + ":\n" + PublishedSchema.Describe(result));
        });
    }

    [Fact]
    public void The_schema_declares_exactly_the_fields_the_loader_knows()
    {
        foreach (var (kind, _, _, schemaProperties) in ObjectKinds)
        {
            var declared = ((JsonObject)Resolve(SchemaDocument, schemaProperties.Split('/', StringSplitOptions.RemoveEmptyEntries))).Select(p => p.Key).Order(StringComparer.Ordinal);
            Assert.True(LoaderFields(kind).Order(StringComparer.Ordinal).SequenceEqual(declared),
                $"{kind}: the loader knows {string.Join(", ", LoaderFields(kind).Order(StringComparer.Ordinal))}; the schema declares {string.Join(", ", declared)}");
        }
    }

    [Fact]
    public void Random_single_field_changes_are_accepted_by_both_or_refused_by_both()
    {
        var documents = TopologyCorpus.Accepted.Select(entry => Json(entry.Yaml)).ToList();
        var gen = from document in Gen.Int[0, documents.Count - 1]
                  from target in Gen.Int[0, int.MaxValue]
                  from value in Gen.Int[-1, Values.Length - 1]
                  select (document, target, value);
        gen.Sample(choice =>
        {
            var document = documents[choice.document].DeepClone();
            var (path, key) = Targets(document)[choice.target % Targets(document).Count];
            var owner = (JsonObject)Resolve(document, path);
            if (choice.value < 0)
            {
                owner.Remove(key);
            }
            else
            {
                owner[key] = JsonNode.Parse(Values[choice.value]);
            }
            AssertAgree(document, FieldPath(path, key), choice.value < 0 ? null : Values[choice.value]);
        }, iter: 3000);
    }

    /// <summary>
    /// Exhaustive over the fields of each shape of object (kind and fields present): a second host or flow with the same
    /// fields as one already changed is the same case for the schema, whose rules depend on which fields an object has.
    /// </summary>
    [Theory]
    [InlineData("seed.yaml")]
    [InlineData("dualstack.yaml")]
    public void Every_field_of_each_shape_of_object_in_an_example_set_to_every_kind_of_value_or_removed_is_accepted_by_both_or_refused_by_both(string example)
    {
        var original = Json(File.ReadAllText(RepositoryPaths.Example(example)));
        foreach (var (path, key) in Targets(original, oneObjectPerShape: true))
        {
            for (var value = -1; value < Values.Length; value++)
            {
                var document = original.DeepClone();
                var owner = (JsonObject)Resolve(document, path);
                if (value < 0)
                {
                    owner.Remove(key);
                }
                else
                {
                    owner[key] = JsonNode.Parse(Values[value]);
                }
                AssertAgree(document, FieldPath(path, key), value < 0 ? null : Values[value]);
            }
        }
    }

    private static void AssertAgree(JsonNode document, string field, string? value)
    {
        var text = document.ToJsonString();
        var loaded = TopologyLoader.LoadText(text, "mutated.yaml");
        var valid = PublishedSchema.IsValid(document);
        if (loaded.Succeeded)
        {
            if (!valid)
            {
                Assert.Fail($"the loader accepts and the schema refuses ({field} = {value ?? "(removed)"}):\n{text}\n{PublishedSchema.Describe(PublishedSchema.Evaluate(document))}");
            }
            return;
        }
        if (valid)
        {
            var ownGrammar = loaded.Diagnostics.Where(d => d.Field == field && GrammarMessage().IsMatch(d.Message)).ToList();
            Assert.True(ownGrammar.Count == 0, $"the schema accepts what the loader refuses for its own grammar ({field} = {value ?? "(removed)"}):\n{text}\n{string.Join('\n', ownGrammar)}");
        }
    }

    /// <summary>The loader's messages about a value by itself (type, range, grammar, unknown or missing field), not about other fields.</summary>
    [GeneratedRegex("unknown field|missing required|not a text value|is out of range|is not an integer|is not a boolean|is not a valid value|not a mapping|not a list|"
        + "is not a valid name|is not a valid interface name|is not a CIDR prefix|is not an IP address|is not an address with prefix length|"
        + "has no closing bracket|has an invalid port|has no valid host|is not a service|has an unknown protocol|names no target|is not an IPv[46] address|is neither")]
    private static partial Regex GrammarMessage();

    /// <summary>Every (object, field) a change may hit: each field the loader knows on each object of the document (or on the first of each shape), present or not.</summary>
    private static List<(string[] Path, string Key)> Targets(JsonNode document, bool oneObjectPerShape = false)
    {
        var targets = new List<(string[] Path, string Key)>();
        var shapes = new HashSet<string>();
        foreach (var (path, kind) in Objects(document, []))
        {
            if (oneObjectPerShape && !shapes.Add(kind + ": " + string.Join(", ", ((JsonObject)Resolve(document, path)).Select(field => field.Key).Order(StringComparer.Ordinal))))
            {
                continue;
            }
            targets.AddRange(LoaderFields(kind).Select(key => (path, key)));
            targets.Add((path, "zz_unknown"));
        }
        return targets;
    }

    /// <summary>The objects whose keys are fields; `groups:` is a mapping of names the topology chooses, so it is none.</summary>
    private static IEnumerable<(string[] Path, string Kind)> Objects(JsonNode node, string[] path)
    {
        if (node is not JsonObject map || path is ["groups"])
        {
            yield break;
        }
        yield return (path, KindOf(path));
        foreach (var (key, value) in map)
        {
            if (value is JsonObject)
            {
                foreach (var inner in Objects(value, [.. path, key]))
                {
                    yield return inner;
                }
            }
            else if (value is JsonArray array)
            {
                for (var index = 0; index < array.Count; index++)
                {
                    foreach (var inner in Objects(array[index]!, [.. path, key, index.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static string KindOf(string[] path) => path switch
    {
        [] => "topology",
        ["network"] => "network",
        ["nodes", _] => "node",
        ["nodes", _, "lan"] => "lan",
        ["nodes", _, "lan", "subnets", _] => "subnet",
        ["hosts", _] => "host",
        ["flows", _] => "flow",
        ["nodes", _, "allowed_ips", _] => "allowedIpsChange",
        ["nodes", _, "drop", _] => "dropRule",
        _ => throw new InvalidOperationException("no object kind at " + string.Join('/', path)),
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> FieldsByKind = [];

    /// <summary>The fields the loader accepts on an object of the kind, from its own "unknown field" diagnostic.</summary>
    private static IReadOnlyList<string> LoaderFields(string kind)
    {
        lock (FieldsByKind)
        {
            if (!FieldsByKind.TryGetValue(kind, out var fields))
            {
                var (_, file, path, _) = ObjectKinds.Single(k => k.Kind == kind);
                var document = Json(File.ReadAllText(file));
                ((JsonObject)Resolve(document, path))["zz_probe"] = "x";
                var diagnostic = TopologyLoader.LoadText(document.ToJsonString(), "probe.yaml").Diagnostics
                    .Single(d => d.Message == "unknown field 'zz_probe'");
                fields = [.. diagnostic.Expected!["one of: ".Length..].Split(", ")];
                FieldsByKind[kind] = fields;
            }
            return fields;
        }
    }

    private static JsonNode Resolve(JsonNode document, string[] path) =>
        path.Aggregate(document, (node, step) => node is JsonArray array ? array[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : node[step]!);

    /// <summary>The loader's name of a field: nodes[1].lan.subnets[0].via.</summary>
    private static string FieldPath(string[] path, string key) =>
        string.Concat(path.Select((step, index) => char.IsDigit(step[0]) ? $"[{step}]" : index == 0 ? step : "." + step)) + (path.Length == 0 ? key : "." + key);

    private static JsonNode Json(string yaml) => YamlToJson.Convert(yaml)!;
}
