using System.CommandLine.Completions;

namespace Sitewire.Cli.Completion;

/// <summary>
/// Paths for arguments that name files or directories: the directories and the files with the wanted extensions in
/// the directory the typed word points into. Directories end with '/' so the shell keeps completing into them.
/// </summary>
internal static class PathCompletion
{
    /// <summary>The most entries one completion lists: a huge directory must not make a key press slow.</summary>
    public const int MostEntries = 500;

    public static readonly string[] TopologyExtensions = [".yaml", ".yml"];

    public static readonly string[] WgQuickExtensions = [".conf"];

    public static Func<CompletionContext, IEnumerable<CompletionItem>> Files(params string[] extensions) =>
        context => Items(Complete(context.WordToComplete, Environment.CurrentDirectory, extensions));

    public static Func<CompletionContext, IEnumerable<CompletionItem>> Directories() =>
        context => Items(Complete(context.WordToComplete, Environment.CurrentDirectory, []));

    /// <summary>The completions of <paramref name="word"/>, relative to <paramref name="workingDirectory"/>, written as the word was.</summary>
    public static IReadOnlyList<string> Complete(string word, string workingDirectory, IReadOnlyCollection<string> extensions)
    {
        var slash = word.LastIndexOf('/');
        var typedDirectory = slash < 0 ? "" : word[..(slash + 1)];
        var namePrefix = word[(slash + 1)..];
        var directory = new DirectoryInfo(Path.Combine(workingDirectory, ExpandHome(typedDirectory)));
        if (!directory.Exists)
        {
            return [];
        }
        try
        {
            return [.. directory.EnumerateFileSystemInfos(namePrefix + "*", new EnumerationOptions { IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive, AttributesToSkip = 0 })
                .Where(entry => !entry.Name.StartsWith('.') || namePrefix.StartsWith('.'))
                .Where(entry => IsDirectory(entry) || extensions.Any(extension => entry.Name.EndsWith(extension, StringComparison.Ordinal)))
                .Take(MostEntries)
                .Select(entry => typedDirectory + entry.Name + (IsDirectory(entry) ? "/" : ""))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool IsDirectory(FileSystemInfo entry) =>
        entry is DirectoryInfo || (entry.LinkTarget is not null && Directory.Exists(entry.FullName));

    private static string ExpandHome(string typedDirectory) =>
        typedDirectory.StartsWith("~/", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("HOME") is { } home
            ? Path.Combine(home, typedDirectory[2..])
            : typedDirectory;

    private static IEnumerable<CompletionItem> Items(IEnumerable<string> labels) => labels.Select(label => new CompletionItem(label));
}
