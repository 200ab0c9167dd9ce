using System.Globalization;
using System.Text;
using Sitewire.Text;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// How a line a UAPI client sent may appear in the log: escaped (see <see cref="DisplayText.EscapeBytes"/>) and, for a
/// <c>key=value</c> line, only its key and the value's length. Values can be keys (a client that forgot <c>set=1</c>
/// sends <c>private_key=...</c> as its operation), so no value ever reaches the log.
/// </summary>
internal static class UapiLogText
{
    public static string Line(UapiLine line)
    {
        if (line.TooLong)
        {
            return $"a line longer than {UapiServer.MaxLineBytes} bytes";
        }
        var separator = line.Text.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            return DisplayText.EscapeBytes(Encoding.Latin1.GetBytes(line.Text));
        }
        var key = DisplayText.EscapeBytes(Encoding.Latin1.GetBytes(line.Text[..separator]));
        return string.Create(CultureInfo.InvariantCulture, $"{key}=(value of {line.Text.Length - separator - 1} bytes withheld)");
    }
}
