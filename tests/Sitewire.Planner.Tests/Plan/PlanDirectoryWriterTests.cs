using Sitewire.Planner.Plan;

namespace Sitewire.Planner.Tests.Plan;

/// <summary>Where plan output is staged, and that an unusable output path or a failed write leaves no file behind, keys least of all.</summary>
public sealed class PlanDirectoryWriterTests
{
    private static string[] Entries(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public void The_root_directory_as_output_is_a_diagnostic_and_nothing_is_written_anywhere()
    {
        var workingDirectoryBefore = Entries(Directory.GetCurrentDirectory());
        var rootBefore = Entries("/");

        var diagnostics = PlanGenerator.Generate(PlanFixtures.Example("seed.yaml"), "/", new PlanRequest());

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("-o", diagnostic.Field);
        Assert.Contains("root directory", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(workingDirectoryBefore, Entries(Directory.GetCurrentDirectory()));
        Assert.Equal(rootBefore, Entries("/"));
    }

    [Fact]
    public void Files_are_staged_beside_the_output_and_a_failure_while_writing_leaves_the_old_output_and_no_key()
    {
        using var temporary = new TemporaryDirectory();
        PlanDirectoryWriter.Write(temporary.Output, [PlanFile.Text(PlanOutputBuilder.MarkerFile, "old")]);
        string[] besideOutputWhileWriting = [];
        string[] workingDirectoryWhileWriting = [];
        var workingDirectoryBefore = Entries(Directory.GetCurrentDirectory());

        IEnumerable<PlanFile> KeyThenFailure()
        {
            yield return PlanFile.Text("keys/relay.key", "private", secret: true);
            besideOutputWhileWriting = Entries(temporary.Path);
            workingDirectoryWhileWriting = Entries(Directory.GetCurrentDirectory());
            throw new IOException("disk full");
        }

        Assert.Throws<IOException>(() => PlanDirectoryWriter.Write(temporary.Output, KeyThenFailure()));

        var staging = Assert.Single(besideOutputWhileWriting, entry => entry != "out");
        Assert.StartsWith("out.new-", staging, StringComparison.Ordinal);
        Assert.Equal(workingDirectoryBefore, workingDirectoryWhileWriting);
        Assert.Equal(["out"], Entries(temporary.Path));
        Assert.Equal([PlanOutputBuilder.MarkerFile], Entries(temporary.Output));
        Assert.Equal("old", File.ReadAllText(Path.Combine(temporary.Output, PlanOutputBuilder.MarkerFile)));
    }
}
