using Sitewire.Config.Input;
using Sitewire.Config.Topology;

namespace Sitewire.Config.Tests.Input;

/// <summary>An input path that cannot be read is named in words (issue 18), never with .NET's "Could not find a part of the path".</summary>
public sealed class FileProblemTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitewire-file-problem-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string ReadError(string path)
    {
        Assert.Null(BoundedTextFile.Read(path, "a readable topology YAML file", out var error));
        Assert.NotNull(error);
        Assert.Equal("(file)", error.Field);
        Assert.DoesNotContain("Could not", error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    [Fact]
    public void A_missing_file_in_a_directory_that_exists_is_no_such_file() =>
        Assert.Equal("no such file", ReadError(Path.Combine(_directory, "seed.yaml")));

    [Fact]
    public void A_missing_directory_is_named_the_outermost_first() =>
        Assert.Equal($"no such file: the directory {_directory}/a does not exist", ReadError(Path.Combine(_directory, "a", "b", "seed.yaml")));

    [Fact]
    public void A_relative_path_names_the_current_directory_it_was_taken_from() =>
        Assert.Equal(
            $"no such file: the directory {Path.Combine(Environment.CurrentDirectory, "no-such-examples")} does not exist (relative to the current directory {Environment.CurrentDirectory})",
            ReadError(Path.Combine("no-such-examples", "seed.yaml")));

    [Fact]
    public void A_directory_is_a_directory() => Assert.Equal("is a directory", ReadError(_directory));

    [Fact]
    public void The_diagnostic_of_a_file_that_cannot_be_read_has_the_file_and_no_line()
    {
        var path = Path.Combine(_directory, "a", "seed.yaml");

        var diagnostic = Assert.Single(TopologyLoader.Load(path).Diagnostics);

        Assert.Equal($"{path}: error: (file): no such file: the directory {_directory}/a does not exist (expected a readable topology YAML file)", diagnostic.ToString());
    }
}
