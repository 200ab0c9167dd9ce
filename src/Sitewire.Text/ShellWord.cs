using System.Globalization;
using System.Text;

namespace Sitewire.Text;

/// <summary>
/// The one quoting function for values placed in a generated shell command (wg-quick PostUp/PostDown, README and
/// fix commands). The result is exactly one bash word whose value is the input, and it is safe on a wg-quick line:
/// it never holds a newline, a <c>#</c> (wg-quick cuts a line at its first <c>#</c>) or a <c>%</c> (wg-quick
/// replaces <c>%i</c> anywhere in a hook). Plain values stay as they are, printable ones go in single quotes, and
/// anything else becomes a bash <c>$'...'</c> word with <c>\xNN</c> escapes.
/// </summary>
public static class ShellWord
{
    /// <exception cref="ArgumentException">The value holds a NUL, which no shell word or argument can carry.</exception>
    public static string Quote(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a NUL character cannot be part of a shell word", nameof(value));
        }
        if (value.Length > 0 && value.All(IsPlain))
        {
            return value;
        }
        if (value.All(c => c is >= ' ' and <= '~' and not '\'' and not '#' and not '%'))
        {
            return $"'{value}'";
        }
        var word = new StringBuilder("$'");
        foreach (var octet in Encoding.UTF8.GetBytes(value))
        {
            if (octet < 0x80 && IsPlain((char)octet))
            {
                word.Append((char)octet);
            }
            else
            {
                word.Append(CultureInfo.InvariantCulture, $"\\x{octet:x2}");
            }
        }
        return word.Append('\'').ToString();
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or '=' or '+' or ',' or '@';
}
