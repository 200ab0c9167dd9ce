using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sitewire.Text;

/// <summary>
/// The one way user- or network-supplied text reaches a terminal, a log or a generated file's comment:
/// control, format (bidi override) and unassigned characters become visible escapes (<c>\n</c>, <c>\x1b</c>,
/// <c>\u202e</c>), backslashes are doubled so an escape cannot be faked, and the result is capped in length with
/// the number of characters left out said at the end. The result is always one line of printable text.
/// </summary>
public static class DisplayText
{
    public const int DefaultMaxLength = 200;

    public static string Escape(string? value, int maxLength = DefaultMaxLength)
    {
        if (value is null)
        {
            return "";
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (value.Length <= maxLength && IsPlain(value))
        {
            return value;
        }
        var text = new StringBuilder(Math.Min(value.Length, maxLength) + 16);
        var index = 0;
        while (index < value.Length && text.Length < maxLength)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var width) == OperationStatus.Done)
            {
                Append(text, rune);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)value[index]:x4}");
            }
            index += width;
        }
        if (index < value.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"…({value.Length - index} more characters)");
        }
        return text.ToString();
    }

    /// <summary>Bytes from the network shown as text: valid UTF-8 as <see cref="Escape"/>, anything else as <c>\xNN</c>.</summary>
    public static string EscapeBytes(ReadOnlySpan<byte> value, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var text = new StringBuilder(Math.Min(value.Length, maxLength) + 16);
        var index = 0;
        while (index < value.Length && text.Length < maxLength)
        {
            if (Rune.DecodeFromUtf8(value[index..], out var rune, out var width) == OperationStatus.Done)
            {
                Append(text, rune);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{value[index]:x2}");
            }
            index += width;
        }
        if (index < value.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"…({value.Length - index} more bytes)");
        }
        return text.ToString();
    }

    private static bool IsPlain(string value)
    {
        for (var index = 0; index < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var width) != OperationStatus.Done || NeedsEscape(rune))
            {
                return false;
            }
            index += width;
        }
        return true;
    }

    private static void Append(StringBuilder text, Rune rune)
    {
        switch (rune.Value)
        {
            case '\\':
                text.Append(@"\\");
                return;
            case '\n':
                text.Append(@"\n");
                return;
            case '\r':
                text.Append(@"\r");
                return;
            case '\t':
                text.Append(@"\t");
                return;
        }
        if (!NeedsEscape(rune))
        {
            text.Append(rune.ToString());
        }
        else if (rune.Value <= 0xff)
        {
            text.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
        }
    }

    private static bool NeedsEscape(Rune rune) =>
        rune.Value == '\\' || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse;
}
