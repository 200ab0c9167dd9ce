using System.Text.Json;
using Sitewire.Cli.Outcome;
using Sitewire.Config.Diagnostics;
using Sitewire.Host.Processes;

namespace Sitewire.Cli.Tests.Outcome;

/// <summary>The one mapping from what a verb throws to the status, exit code and lines users and scripts see.</summary>
public class FailureTests
{
    private static readonly Diagnostic Overlay = new(new SourceLocation("t.yaml", 2, 12), "network.overlay", "'10.0.0.0/33' is not a CIDR prefix", "an IPv4 CIDR");

    [Fact]
    public void Unusable_input_is_exit_2_with_its_diagnostics()
    {
        var failure = Failure.Of(new DiagnosticsException([Overlay]));

        Assert.Equal((Failure.Unusable, 2), (failure.Status, failure.ExitCode));
        Assert.Equal(Overlay, Assert.Single(failure.Diagnostics));
    }

    [Fact]
    public void A_refused_request_is_exit_2_naming_its_option()
    {
        var failure = Failure.Of(new RequestRefusedException("'nowhere' is no host", "--to"));

        Assert.Equal((Failure.Unusable, 2), (failure.Status, failure.ExitCode));
        Assert.Equal(new FailureMessage("--to", "'nowhere' is no host"), Assert.Single(failure.Messages));
    }

    [Fact]
    public void Host_failures_are_exit_2_one_line_each_also_when_a_parallel_build_aggregates_them()
    {
        var failure = Failure.Of(new AggregateException(new IOException("disk full"), new CommandFailedException("`ip link add` exited 2")));

        Assert.Equal((Failure.Failed, 2), (failure.Status, failure.ExitCode));
        Assert.Equal(["disk full", "`ip link add` exited 2"], failure.Messages.Select(m => m.Text));
    }

    [Fact]
    public void Host_output_a_reader_cannot_read_is_a_host_failure_exit_2()
    {
        var failure = Failure.Of(new FormatException("`nft -j list ruleset`: nftables[3].rule is not an object with \"expr\""));

        Assert.Equal((Failure.Failed, 2), (failure.Status, failure.ExitCode));
        Assert.Equal("`nft -j list ruleset`: nftables[3].rule is not an object with \"expr\"", Assert.Single(failure.Messages).Text);
    }

    [Theory]
    [InlineData(typeof(NullReferenceException))]
    [InlineData(typeof(OutOfMemoryException))]
    public void Anything_else_is_a_bug_exit_70_and_not_mistaken_for_findings_or_bad_input(Type type)
    {
        var failure = Failure.Of((Exception)Activator.CreateInstance(type)!);

        Assert.Equal((Failure.InternalError, 70), (failure.Status, failure.ExitCode));
        Assert.Contains(type.Name, Assert.Single(failure.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_with_one_bug_among_host_failures_is_a_bug()
    {
        Assert.Equal(Failure.InternalError, Failure.Of(new AggregateException(new IOException("disk full"), new NullReferenceException())).Status);
    }

    [Fact]
    public void The_json_document_has_the_documented_shape_and_display_safe_capped_text()
    {
        var hostile = new Diagnostic(new SourceLocation("t.yaml", 48, 11), "hosts[0].name", $"'\u001b[2J{new string('x', 1_000_000)}' is not a valid name");
        var failure = Failure.Of(new DiagnosticsException([hostile, new Diagnostic(SourceLocation.None("absent.yaml"), "(file)", "not found")]));

        var json = FailureJson.From(failure).Serialize();

        Assert.True(json.Length < 4 * Diagnostic.MessageMaxLength, $"{json.Length} characters");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(("unusable", 2), (root.GetProperty("status").GetString(), root.GetProperty("exit_code").GetInt32()));
        var diagnostics = root.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(("t.yaml", 48, 11, "hosts[0].name"), (diagnostics[0].GetProperty("file").GetString(), diagnostics[0].GetProperty("line").GetInt32(), diagnostics[0].GetProperty("column").GetInt32(), diagnostics[0].GetProperty("field").GetString()));
        Assert.StartsWith(@"'\x1b[2Jxxx", diagnostics[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, diagnostics[0].GetProperty("expected").ValueKind);
        Assert.Equal(JsonValueKind.Null, diagnostics[1].GetProperty("line").ValueKind);
    }
}
