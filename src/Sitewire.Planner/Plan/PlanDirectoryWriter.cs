using Sitewire.Config.Diagnostics;

namespace Sitewire.Planner.Plan;

/// <summary>
/// Puts a plan's files in place all at once: they are written (as produced) into a fresh directory beside OUT,
/// then OUT is swapped for it by renames, so OUT is either the old output or the new one, and on any failure the
/// fresh directory (with its keys) is removed. OUT must
/// be absent, empty, or an earlier plan output (it carries <see cref="PlanOutputBuilder.MarkerFile"/>).
/// </summary>
public static class PlanDirectoryWriter
{
    public static void Write(string outputDirectory, IEnumerable<PlanFile> files)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory));
        var parent = Path.GetDirectoryName(target)
            ?? throw new DiagnosticsException([new Diagnostic(SourceLocation.None(target), "-o", "the output path is the root directory", "a directory of its own, such as ./out")]);
        CheckReplaceable(target);
        Directory.CreateDirectory(parent);
        var suffix = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        var staging = $"{target}.new-{suffix}";
        var retired = $"{target}.old-{suffix}";
        try
        {
            CreatePrivateDirectory(staging);
            foreach (var file in files)
            {
                WriteFile(staging, file);
            }
            Swap(staging, target, retired);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        if (Directory.Exists(retired))
        {
            Directory.Delete(retired, recursive: true);
        }
    }

    /// <summary>Puts <paramref name="staging"/> in place of <paramref name="target"/>; when that fails, the old target is back.</summary>
    private static void Swap(string staging, string target, string retired)
    {
        if (Directory.Exists(target))
        {
            Directory.Move(target, retired);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch when (Directory.Exists(retired))
        {
            Directory.Move(retired, target);
            throw;
        }
    }

    private static void CheckReplaceable(string target)
    {
        if (File.Exists(target))
        {
            throw new DiagnosticsException([new Diagnostic(SourceLocation.None(target), "-o", "the output path is a file", "a directory path")]);
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, PlanOutputBuilder.MarkerFile)))
        {
            throw new DiagnosticsException([new Diagnostic(SourceLocation.None(target), "-o", "the output directory holds files that are not a plan's output", $"an empty directory or an earlier plan output (with {PlanOutputBuilder.MarkerFile})")]);
        }
    }

    private static void WriteFile(string root, PlanFile file)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("plan output needs Unix file modes");
        }
        var path = Path.Combine(root, file.RelativePath);
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            CreatePrivateDirectory(directory);
        }
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = file.Secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        using var stream = new FileStream(path, options);
        stream.Write(file.Content);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("plan output needs Unix file modes");
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
