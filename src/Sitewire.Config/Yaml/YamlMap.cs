using Sitewire.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sitewire.Config.Yaml;

/// <summary>
/// A YAML mapping read field by field: typed getters report wrong types against the field's path,
/// and <see cref="RejectUnknown"/> reports keys the schema does not know. Scalars are typed as YAML 1.2's core schema
/// types them, as editors and schemas/topology.schema.json do: a plain <c>null</c>, <c>~</c> or nothing is null, a plain
/// <c>true</c>/<c>false</c> a boolean, a plain <c>1</c> or <c>1.5</c> a number, anything else (or quoted) text. A text
/// field refuses null, booleans and numbers (quoted they are text: <c>name: "1"</c>); an integer or boolean field refuses
/// text, quoted or not (<c>behind_nat: "yes"</c>, <c>listen_port: "51820"</c>).
/// </summary>
internal sealed class YamlMap(YamlMappingNode node, string path, YamlReadContext context)
{
    public YamlMappingNode Node { get; } = node;

    public string Path { get; } = path;

    public YamlReadContext Context { get; } = context;

    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public YamlNode? Get(string key) =>
        Node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public void RejectUnknown(params string[] known)
    {
        foreach (var key in Node.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Context.Error(key, FieldPath(name), $"unknown field '{name}'{DidYouMean.Hint(name, known)}", "one of: " + string.Join(", ", known));
                if (DidYouMean.Closest(name, known) is { } meant)
                {
                    Context.Misspelled(FieldPath(meant), name, key);
                }
            }
        }
    }

    public string? String(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                Context.Error(Node, FieldPath(key), "missing required field", $"a '{key}' field");
            }
            return null;
        }
        if (value is not YamlScalarNode scalar || string.IsNullOrEmpty(scalar.Value))
        {
            Context.Error(value, FieldPath(key), "not a text value", "a scalar");
            return null;
        }
        if (CoreType(scalar) is { } type)
        {
            Context.Error(value, FieldPath(key), $"'{scalar.Value}' is {type}, not text", $"text (in quotes, \"{scalar.Value}\", if that is meant)");
            return null;
        }
        return scalar.Value;
    }

    public int? Integer(string key, int minimum, int maximum)
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }
        if (value is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            if (number >= minimum && number <= maximum)
            {
                return number;
            }
            Context.Error(value, FieldPath(key), $"{number} is out of range", $"an integer from {minimum} to {maximum}");
            return null;
        }
        var quotedNumber = value is YamlScalarNode { Style: not ScalarStyle.Plain, Value: { } quoted } && int.TryParse(quoted, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
        Context.Error(value, FieldPath(key), $"'{Describe(value)}' is not an integer{(quotedNumber ? QuotedNote : "")}", $"an integer from {minimum} to {maximum}");
        return null;
    }

    public bool? Boolean(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }
        if (value is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
        {
            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }
        var quotedBoolean = value is YamlScalarNode { Style: not ScalarStyle.Plain, Value: "true" or "false" };
        Context.Error(value, FieldPath(key), $"'{Describe(value)}' is not a boolean{(quotedBoolean ? QuotedNote : "")}", "true or false");
        return null;
    }

    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }
        if (value is YamlScalarNode { Value: { } text } && names.TryGetValue(text, out var parsed))
        {
            return parsed;
        }
        Context.Error(value, FieldPath(key), $"'{Describe(value)}' is not a valid value", "one of: " + string.Join(", ", names.Keys));
        return null;
    }

    public YamlMap? Map(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                Context.Error(Node, FieldPath(key), "missing required section", $"a '{key}' mapping");
            }
            return null;
        }
        if (value is not YamlMappingNode mapping)
        {
            Context.Error(value, FieldPath(key), "not a mapping", $"'{key}:' followed by indented fields");
            return null;
        }
        return new YamlMap(mapping, FieldPath(key), Context);
    }

    public IReadOnlyList<(YamlNode Item, string Path)> Sequence(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return [];
        }
        if (value is not YamlSequenceNode sequence)
        {
            Context.Error(value, FieldPath(key), "not a list", "a YAML sequence ('- item' lines or [a, b])");
            return [];
        }
        return sequence.Children.Select((item, index) => (item, $"{FieldPath(key)}[{index}]")).ToList();
    }

    /// <summary>"null", "a boolean" or "a number" for a plain scalar that YAML 1.2's core schema reads as one; null for text.</summary>
    public static string? CoreType(YamlScalarNode scalar) => scalar.Style != ScalarStyle.Plain ? null : YamlCoreSchema.TypeOfPlain(scalar.Value);

    private const string QuotedNote = " (quoted, so text: write it without quotes)";

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.ToString(),
    };
}
