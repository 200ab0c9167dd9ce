using System.Text;
using Sitewire.Config.Diagnostics;

namespace Sitewire.Config.Input;

/// <summary>Reads a text input file of at most <see cref="InputLimits.MaxFileBytes"/>, never more, also from a pipe or device.</summary>
public static class BoundedTextFile
{
    /// <summary>The file's text, or null and the diagnostic that says why it cannot be read.</summary>
    public static string? Read(string path, string expected, out Diagnostic? error)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            var buffer = new byte[InputLimits.MaxFileBytes + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > InputLimits.MaxFileBytes)
            {
                error = new Diagnostic(new SourceLocation(path, 1, 1), "(file)", $"the file is larger than {InputLimits.MaxFileBytes} bytes", $"{expected} of at most {InputLimits.MaxFileBytes / (1024 * 1024)} MiB");
                return null;
            }
            using var reader = new StreamReader(new MemoryStream(buffer, 0, length), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            error = null;
            return reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error = new Diagnostic(SourceLocation.None(path), "(file)", FileProblem.Describe(path, exception), expected);
            return null;
        }
    }
}
