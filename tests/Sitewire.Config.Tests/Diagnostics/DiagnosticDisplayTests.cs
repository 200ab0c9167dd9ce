using Sitewire.Config.Diagnostics;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Diagnostics;

/// <summary>
/// A diagnostic echoes what the user wrote. Shown, it must stay one line of printable text of bounded length, however
/// hostile the value: no terminal escape, no line break, no 10 MB line.
/// </summary>
public class DiagnosticDisplayTests
{
    private const string FakePass = "\u001b[2J\u001b[Hverify: passed\n\u202e";

    [Fact]
    public void Control_characters_in_every_part_are_shown_as_visible_escapes()
    {
        var diagnostic = new Diagnostic(new SourceLocation($"top{FakePass}.yaml", 3, 7), $"nodes[{FakePass}]", $"'{FakePass}' is not a valid name", $"not {FakePass}");

        var shown = diagnostic.ToString();

        Assert.DoesNotContain(shown, c => char.IsControl(c) || c == '\u202e');
        Assert.Equal(4, CountOf(@"\x1b[2J\x1b[Hverify: passed\n\u202e", shown));
        Assert.StartsWith(@"top\x1b[2J\x1b[Hverify: passed\n\u202e.yaml:3:7: error: nodes[", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_value_is_cut_with_the_count_left_out_and_its_position_kept()
    {
        var huge = new string('x', 10 * 1024 * 1024);
        var diagnostic = new Diagnostic(new SourceLocation("t.yaml", 48, 11), "hosts[0].name", $"'{huge}' is not a valid name", "a letter or digit");

        var shown = diagnostic.ToString();

        Assert.True(shown.Length < 2 * Diagnostic.MessageMaxLength, $"{shown.Length} characters shown");
        Assert.StartsWith("t.yaml:48:11: error: hosts[0].name: 'xxx", shown, StringComparison.Ordinal);
        Assert.Contains($"…({huge.Length + 2 + " is not a valid name".Length - Diagnostic.MessageMaxLength} more characters) (expected a letter or digit)", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_that_carries_diagnostics_shows_them_display_safe()
    {
        var exception = new DiagnosticsException([new Diagnostic(SourceLocation.None("t.yaml"), "name", FakePass)]);

        Assert.DoesNotContain(exception.Message, char.IsControl);
    }

    [Fact]
    public void The_loaders_diagnostic_for_an_escape_laden_name_prints_no_escape()
    {
        var result = TopologyLoader.LoadText($"network:\n  overlay: 10.0.0.0/24\nnodes:\n  - name: \"a{FakePass.Replace("\n", "\\n", StringComparison.Ordinal)}\"\n", "t.yaml");

        Assert.False(result.Succeeded);
        Assert.All(result.Diagnostics, diagnostic => Assert.DoesNotContain(diagnostic.ToString(), char.IsControl));
        Assert.Contains(result.Diagnostics, diagnostic => diagnostic.ToString().Contains(@"a\x1b[2J\x1b[Hverify: passed\n", StringComparison.Ordinal));
    }

    private static int CountOf(string part, string text) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
