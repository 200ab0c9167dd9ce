using System.Diagnostics;

namespace Sitewire.Text.Tests;

public sealed class ShellWordTests
{
    [Theory]
    [InlineData("eth0", "eth0")]
    [InlineData("net.ipv4.ip_forward=1", "net.ipv4.ip_forward=1")]
    [InlineData("add table inet t; delete table inet t", "'add table inet t; delete table inet t'")]
    [InlineData("", "''")]
    [InlineData("it's", @"$'it\x27s'")]
    [InlineData("a#b", @"$'a\x23b'")]
    [InlineData("%i", @"$'\x25i'")]
    [InlineData("a\nb", @"$'a\x0ab'")]
    [InlineData("é", @"$'\xc3\xa9'")]
    public void Quotes_only_what_needs_it_and_never_emits_a_line_break_hash_or_percent(string value, string word) =>
        Assert.Equal(word, ShellWord.Quote(value));

    [Fact]
    public void A_nul_cannot_be_a_shell_word() =>
        Assert.Throws<ArgumentException>(() => ShellWord.Quote("eth0\0"));

    [Fact]
    public void Bash_reads_every_quoted_word_back_as_the_original_bytes()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 200).Select(_ => new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => (char)random.Next(1, 0x3000)).Where(c => !char.IsSurrogate(c)).ToArray())).ToList();
        var script = string.Concat(values.Select(value => $"printf '%s\\0' {ShellWord.Quote(value)}\n"));
        Assert.DoesNotContain('#', script);

        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        Assert.True(bash.WaitForExit(30_000));

        Assert.Equal(values, output.Split('\0')[..^1]);
    }
}
