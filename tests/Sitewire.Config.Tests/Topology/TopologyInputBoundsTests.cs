using System.Text;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Input;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Topology;

/// <summary>
/// No topology file can make the loader run long, use much memory or crash: each bound of <see cref="InputLimits"/>
/// is a diagnostic with a position, like any other unusable input.
/// </summary>
public sealed class TopologyInputBoundsTests
{
    /// <summary>Anchors a0..a<paramref name="levels"/>, each a list of nine aliases of the one before: 9^levels nodes in a9.</summary>
    private static string AliasBomb(int levels)
    {
        var text = new StringBuilder("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= levels; level++)
        {
            text.Append($"x{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", 9)).Append("]\n");
        }
        return text.ToString();
    }

    private static Diagnostic SingleYamlError(string text)
    {
        var result = TopologyLoader.LoadText(text, "t.yaml");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("(yaml)", diagnostic.Field);
        Assert.Equal("t.yaml", diagnostic.Location.File);
        Assert.NotNull(diagnostic.Expected);
        return diagnostic;
    }

    [Fact]
    public void An_alias_bomb_used_as_a_mapping_key_is_refused_where_it_exceeds_the_node_bound()
    {
        var text = "network:\n  ? *a9\n  : 1\n".Insert(0, AliasBomb(9));

        var diagnostic = SingleYamlError(text);

        Assert.Contains($"more than {InputLimits.MaxYamlNodes} YAML nodes with aliases expanded", diagnostic.Message, StringComparison.Ordinal);
        var firstAliasOfX6 = (7, 10);
        Assert.Equal(firstAliasOfX6, (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Aliases_as_mapping_keys_count_as_the_nodes_they_stand_for()
    {
        var keys = string.Concat(Enumerable.Range(0, 20).Select(index => $"  ? [*a4, {index}]\n  : 1\n"));
        var text = AliasBomb(4) + "network:\n" + keys;

        var diagnostic = SingleYamlError(text);

        Assert.Contains("aliases expanded", diagnostic.Message, StringComparison.Ordinal);
        var firstKeyLine = 7;
        Assert.InRange(diagnostic.Location.Line, firstKeyLine, firstKeyLine + (2 * 20));
    }

    [Fact]
    public void Anchors_and_aliases_within_the_bound_still_load()
    {
        var text = """
            network:
              overlay: &overlay 10.200.0.0/24
            nodes:
              - &relay { name: relay, role: relay, endpoint: 198.51.100.1:51820 }
              - name: site
            hosts: []
            flows: []
            """;

        var result = TopologyLoader.LoadText(text, "t.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData(InputLimits.MaxYamlDepth)]
    [InlineData(100_000)]
    public void Nesting_deeper_than_the_bound_is_refused_at_the_first_level_too_deep(int lists)
    {
        var text = "network: " + new string('[', lists) + new string(']', lists) + "\n";

        var diagnostic = SingleYamlError(text);

        Assert.Contains($"nested more than {InputLimits.MaxYamlDepth} deep", diagnostic.Message, StringComparison.Ordinal);
        var firstListColumn = 10;
        var listsWithinTheBound = InputLimits.MaxYamlDepth - 1;
        Assert.Equal((1, firstListColumn + listsWithinTheBound), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Nesting_up_to_the_bound_is_read_as_yaml()
    {
        var lists = InputLimits.MaxYamlDepth - 1;
        var text = "network: " + new string('[', lists) + new string(']', lists) + "\n";

        var result = TopologyLoader.LoadText(text, "t.yaml");

        Assert.DoesNotContain(result.Diagnostics, diagnostic => diagnostic.Field == "(yaml)");
        Assert.Contains(result.Diagnostics, diagnostic => diagnostic.Field == "network");
    }

    /// <summary>
    /// Inputs the topology fuzz target (tests/Sitewire.Fuzz) found, cut down: YamlDotNet's parser ends a mapping after a
    /// key without its value (" : 0", "\0: 0"), and its representation model then threw an ArgumentException; its parser
    /// itself threw one for a tag that is no URI and for an escape that is no Unicode character.
    /// </summary>
    [Theory]
    [InlineData(" : 0", "a mapping key without a value", 1, 3)]
    [InlineData("\0: 0", "a NUL character, which YAML does not allow in a file", 1, 1)]
    [InlineData("network:\n  overlay: !!+.+. 10.0.0.0/24\n", "the YAML cannot be read past this point: Global tags must be valid URIs.", 2, 10)]
    [InlineData("network:\n  overlay: \"\\UDDDDDDDD\"\n", "the YAML cannot be read past this point: A valid UTF32 value", 2, 10)]
    [InlineData("network:\n  shape: hub\0\nnodes: []\n", "a NUL character", 2, 13)]
    public void Malformed_yaml_the_fuzzer_found_is_a_diagnostic_with_a_position(string text, string message, int line, int column)
    {
        var diagnostic = SingleYamlError(text);

        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void An_alias_inside_the_node_it_names_is_refused()
    {
        var diagnostic = SingleYamlError("network: &loop [a, *loop]\n");

        Assert.Contains("alias *loop refers to a node that contains it", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((1, 20), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void A_value_longer_than_the_bound_is_refused_at_the_value()
    {
        var text = "network:\n  interface: " + new string('x', InputLimits.MaxYamlScalarLength + 1) + "\n";

        var diagnostic = SingleYamlError(text);

        Assert.Contains($"a value of {InputLimits.MaxYamlScalarLength + 1} characters", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((2, 14), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void A_file_larger_than_the_bound_is_refused_without_being_parsed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sitewire-bounds-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "network:\n" + new string(' ', InputLimits.MaxFileBytes));
        try
        {
            var result = TopologyLoader.Load(path);

            Assert.False(result.Succeeded);
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(("(file)", path, 1, 1), (diagnostic.Field, diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Location.Column));
            Assert.Contains($"larger than {InputLimits.MaxFileBytes} bytes", diagnostic.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_endless_input_is_read_no_further_than_the_bound()
    {
        var result = TopologyLoader.Load("/dev/zero");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains($"larger than {InputLimits.MaxFileBytes} bytes", diagnostic.Message, StringComparison.Ordinal);
    }
}
