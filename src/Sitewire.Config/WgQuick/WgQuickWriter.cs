using System.Globalization;
using System.Text;
using Sitewire.Text;

namespace Sitewire.Config.WgQuick;

/// <summary>
/// Emits a wg-quick file in the usual key order; every line ends with '\n'. Comments are shown through
/// <see cref="DisplayText"/>, so they stay one line; a value that would end its line early (a line break, or the
/// <c>#</c> at which wg-quick cuts a line) is refused rather than written.
/// </summary>
public static class WgQuickWriter
{
    public static string Write(WgQuickConfig config, IEnumerable<string>? headerComments = null)
    {
        var text = new StringBuilder();
        foreach (var comment in headerComments ?? [])
        {
            Comment(text, comment);
        }
        var face = config.Interface;
        text.Append("[Interface]\n");
        if (face.Addresses.Count > 0)
        {
            Line(text, "Address", string.Join(", ", face.Addresses));
        }
        Line(text, "ListenPort", face.ListenPort);
        Line(text, "MTU", face.Mtu);
        Line(text, "PrivateKey", face.PrivateKey?.ToBase64());
        Line(text, "Table", face.Table);
        if (face.Dns.Count > 0)
        {
            Line(text, "DNS", string.Join(", ", face.Dns));
        }
        Lines(text, "PreUp", face.PreUp);
        Lines(text, "PostUp", face.PostUp);
        Lines(text, "PreDown", face.PreDown);
        Lines(text, "PostDown", face.PostDown);
        foreach (var peer in config.Peers)
        {
            text.Append("\n[Peer]\n");
            if (peer.Name is not null)
            {
                Comment(text, peer.Name);
            }
            Line(text, "PublicKey", peer.PublicKey.ToBase64());
            Line(text, "PresharedKey", peer.PresharedKey?.ToBase64());
            Line(text, "AllowedIPs", string.Join(", ", peer.AllowedIps));
            Line(text, "Endpoint", peer.Endpoint);
            Line(text, "PersistentKeepalive", peer.PersistentKeepalive);
        }
        return text.ToString();
    }

    private static void Comment(StringBuilder text, string comment) => text.Append("# ").Append(DisplayText.Escape(comment, maxLength: 500)).Append('\n');

    private static void Line(StringBuilder text, string key, int? value)
    {
        if (value is { } number)
        {
            Line(text, key, number.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Line(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            if (value.AsSpan().IndexOfAny("\n\r\0#") >= 0)
            {
                throw new ArgumentException($"{key} = {DisplayText.Escape(value)}: a line break, NUL or '#' would end the wg-quick line early", nameof(value));
            }
            text.Append(key).Append(" = ").Append(value).Append('\n');
        }
    }

    private static void Lines(StringBuilder text, string key, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            Line(text, key, value);
        }
    }
}
