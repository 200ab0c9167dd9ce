using Sitewire.Crypto;

namespace Sitewire.Cli.Keys;

internal static class KeyOutput
{
    /// <summary>
    /// Writes the key and a newline to stdout. Like wg, a secret key written to a regular file that
    /// others can read gets a warning.
    /// </summary>
    public static int Write(Key key, bool isSecret = true)
    {
        if (isSecret && StdoutIsWorldAccessibleFile())
        {
            Console.Error.WriteLine("Warning: writing to world accessible file.");
            Console.Error.WriteLine("Consider setting the umask to 077 and trying again.");
        }
        using var stdout = Console.OpenStandardOutput();
        var text = System.Text.Encoding.ASCII.GetBytes(key.ToBase64() + "\n");
        stdout.Write(text);
        Array.Clear(text);
        return 0;
    }

    private static bool StdoutIsWorldAccessibleFile()
    {
        var target = new FileInfo("/proc/self/fd/1");
        try
        {
            var resolved = target.ResolveLinkTarget(returnFinalTarget: true);
            if (resolved is not FileInfo file || !file.Exists)
            {
                return false;
            }
            return (file.UnixFileMode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
