namespace Sitewire.Config.Input;

/// <summary>
/// What a file-system exception means for the path a user gave, in words instead of .NET's ("Could not find a part of
/// the path '…'"): which part is missing, and for a relative path the directory it was taken from.
/// </summary>
public static class FileProblem
{
    public static string Describe(string path, Exception exception)
    {
        var full = Path.GetFullPath(path);
        var from = Path.IsPathRooted(path) ? "" : $" (relative to the current directory {Environment.CurrentDirectory})";
        if (Directory.Exists(full))
        {
            return "is a directory";
        }
        if (!File.Exists(full))
        {
            var missing = FirstMissingDirectory(full);
            return missing is null ? $"no such file{from}" : $"no such file: the directory {missing} does not exist{from}";
        }
        return exception is UnauthorizedAccessException ? "permission denied" : exception.Message;
    }

    /// <summary>The outermost directory on the way to <paramref name="full"/> that does not exist, or null when its parent exists.</summary>
    private static string? FirstMissingDirectory(string full)
    {
        string? missing = null;
        for (var directory = Path.GetDirectoryName(full); directory is not null && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
        {
            missing = directory;
        }
        return missing;
    }
}
