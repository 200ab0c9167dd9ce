using System.Globalization;
using System.Text;
using Sitewire.Text;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// How a line a UAPI client sent may appear in the log: escaped (see <see cref="DisplayText.EscapeBytes"/>) and, for a
/// <c>key=value</c> line, only its key and the value's length. Values can be keys (a client that forgot <c>set=1</c>
/// sends <c>private_key=...</c> as its operation), so no value ever reaches the log; nor does a name that could hold a
/// key (a client that sends a key file as a line: base64 ends in '=', so all but its last character are the "name").
/// </summary>
internal static class UapiLogText
{
    /// <summary>No UAPI name has a run of this many base64 characters (the longest, <c>persistent_keepalive_interval</c>, has 10).</summary>
    private const int KeyLikeRun = 16;

    public static string Line(UapiLine line)
    {
        if (line.TooLong)
        {
            return $"a line longer than {UapiServer.MaxLineBytes} bytes";
        }
        var separator = line.Text.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            return Name(line.Text);
        }
        return string.Create(CultureInfo.InvariantCulture, $"{Name(line.Text[..separator])}=(value of {line.Text.Length - separator - 1} bytes withheld)");
    }

    /// <summary>
    /// A UAPI key (or a line without '='), as read (one character per byte), as it may be logged: escaped, or withheld
    /// when it has a run of <see cref="KeyLikeRun"/> or more base64 characters, which could be (part of) a key.
    /// </summary>
    public static string Name(string text) =>
        HasKeyLikeRun(text)
            ? string.Create(CultureInfo.InvariantCulture, $"(a name of {text.Length} bytes withheld)")
            : DisplayText.EscapeBytes(Encoding.Latin1.GetBytes(text));

    private static bool HasKeyLikeRun(string text)
    {
        var run = 0;
        foreach (var character in text)
        {
            run = char.IsAsciiLetterOrDigit(character) || character is '+' or '/' ? run + 1 : 0;
            if (run >= KeyLikeRun)
            {
                return true;
            }
        }
        return false;
    }
}
