using Sitewire.Config.Diagnostics;
using Sitewire.Config.Input;
using Sitewire.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sitewire.Config.Yaml;

/// <summary>
/// Passes YamlDotNet's parsing events through and stops, with a <see cref="Violation"/>, at the first event that
/// breaks a bound of <see cref="InputLimits"/>: nesting depth, the node count with every alias expanded (an alias
/// counts as the whole node it names, also as a mapping key), an alias to a node that contains it, or a long
/// scalar. The checks run on the events, before the representation model is built from them, because building it
/// already recurses per level of nesting and hashes whole mapping keys, aliases expanded. It also stops at a mapping
/// that ends after a key without its value: YamlDotNet's parser emits one for some malformed input (" : 0"), and its
/// representation model then throws an ArgumentException instead of a <see cref="YamlException"/>; an ArgumentException
/// from the parser itself becomes a violation too (<see cref="InnerMoveNext"/>).
/// </summary>
internal sealed class BoundedYamlParser(IParser inner, string file) : IParser
{
    private readonly Stack<OpenNode> _open = new();
    private readonly Dictionary<AnchorName, long> _anchoredSizes = [];
    private long _nodes;

    /// <summary>The bound that stopped parsing; parsing then ends with a <see cref="YamlException"/>.</summary>
    public Diagnostic? Violation { get; private set; }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!InnerMoveNext())
        {
            return false;
        }
        var current = inner.Current!;
        switch (current)
        {
            case MappingStart or SequenceStart:
                Open((NodeEvent)current);
                break;
            case MappingEnd or SequenceEnd:
                Close(current);
                break;
            case Scalar scalar:
                Scalar(scalar);
                break;
            case AnchorAlias alias:
                Alias(alias);
                break;
        }
        return true;
    }

    /// <summary>
    /// YamlDotNet's parser reports some malformed input with an ArgumentException instead of a YamlException (a tag
    /// that is not a URI, "!!+.+."; an escape that is no Unicode character, "\\UDDDDDDDD"): it is reported as a
    /// violation at the end of the last event read, like any malformed YAML.
    /// </summary>
    private bool InnerMoveNext()
    {
        try
        {
            return inner.MoveNext();
        }
        catch (ArgumentException exception)
        {
            var at = inner.Current?.End ?? Mark.Empty;
            var reason = exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : exception.Message;
            Violation = new Diagnostic(new SourceLocation(file, (int)at.Line, (int)at.Column), "(yaml)", $"the YAML cannot be read past this point: {DisplayText.Escape(reason)}", "well-formed YAML");
            throw new YamlException(at, at, reason, exception);
        }
    }

    private void Open(NodeEvent start)
    {
        if (_open.Count >= InputLimits.MaxYamlDepth)
        {
            Stop(start, $"lists and mappings nested more than {InputLimits.MaxYamlDepth} deep", $"at most {InputLimits.MaxYamlDepth} levels of nesting");
        }
        Child(start);
        _open.Push(new OpenNode(start.Anchor, _nodes, start is MappingStart));
        Count(start, 1);
    }

    private void Close(ParsingEvent end)
    {
        var open = _open.Pop();
        if (open.IsMapping && open.Children % 2 != 0)
        {
            Stop(open.LastChild ?? end, "a mapping key without a value", "KEY: VALUE");
        }
        if (!open.Anchor.IsEmpty)
        {
            _anchoredSizes[open.Anchor] = _nodes - open.NodesBefore;
        }
    }

    /// <summary>Counts a node in the collection that holds it.</summary>
    private void Child(ParsingEvent node)
    {
        if (_open.TryPeek(out var parent))
        {
            parent.Children++;
            parent.LastChild = node;
        }
    }

    private void Scalar(Scalar scalar)
    {
        if (scalar.Value.Length > InputLimits.MaxYamlScalarLength)
        {
            Stop(scalar, $"a value of {scalar.Value.Length} characters", $"at most {InputLimits.MaxYamlScalarLength} characters per value");
        }
        Child(scalar);
        Count(scalar, 1);
        if (!scalar.Anchor.IsEmpty)
        {
            _anchoredSizes[scalar.Anchor] = 1;
        }
    }

    private void Alias(AnchorAlias alias)
    {
        Child(alias);
        if (_open.Any(open => open.Anchor == alias.Value))
        {
            Stop(alias, $"alias *{DisplayText.Escape(alias.Value.Value)} refers to a node that contains it", "aliases to complete nodes only");
        }
        if (_anchoredSizes.TryGetValue(alias.Value, out var size))
        {
            Count(alias, size);
        }
    }

    private void Count(ParsingEvent at, long nodes)
    {
        _nodes += nodes;
        if (_nodes > InputLimits.MaxYamlNodes)
        {
            Stop(at, $"more than {InputLimits.MaxYamlNodes} YAML nodes with aliases expanded", $"at most {InputLimits.MaxYamlNodes} nodes, every alias counted as the node it stands for");
        }
    }

    private void Stop(ParsingEvent at, string message, string expected)
    {
        Violation = new Diagnostic(new SourceLocation(file, (int)at.Start.Line, (int)at.Start.Column), "(yaml)", message, expected);
        throw new YamlException(at.Start, at.End, message);
    }

    private sealed class OpenNode(AnchorName anchor, long nodesBefore, bool isMapping)
    {
        public AnchorName Anchor { get; } = anchor;

        public long NodesBefore { get; } = nodesBefore;

        public bool IsMapping { get; } = isMapping;

        public int Children { get; set; }

        public ParsingEvent? LastChild { get; set; }
    }
}
