using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// The suite-wide check that private and preshared keys never appear in what sitewire and sitewired print (README, keys
/// never logged). Every secret a test makes is registered — by <see cref="TunnelPair"/>, and by <see cref="Harvest"/>
/// from the directories tests and labs write (<c>*.key</c>, <c>*.psk</c>, wg-quick <c>PrivateKey</c>/<c>PresharedKey</c>
/// lines) — and every output is observed: daemon logs (<see cref="DaemonLog"/>), metrics scrapes, CLI output, lab logs.
/// A secret found in an output, in base64 or in UAPI's hex, registered before or after the output was seen, is a leak;
/// <see cref="AssertNoLeaks"/> (called when a tunnel pair, a temporary directory or a lab is disposed) fails the test
/// naming the output and the secret's origin, never the secret. The wg tool's own output is not observed: `wg show dump`
/// prints the private key by design. The hooks use the one <see cref="Suite"/> watch; a test of the watch itself makes
/// its own, so that its planted leaks fail no other test.
/// </summary>
public sealed partial class SecretWatch
{
    /// <summary>Output text kept to check against secrets registered later, oldest dropped first beyond this.</summary>
    private const long KeptOutputChars = 16 << 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly Queue<(string Source, string Text)> _outputs = new();
    private readonly ConcurrentQueue<string> _leaks = new();
    private long _keptChars;

    /// <summary>The watch every hook of the suite reports to.</summary>
    public static SecretWatch Suite { get; } = new();

    /// <summary>Registers a base64 private or preshared key made by <paramref name="origin"/>; anything else is ignored.</summary>
    public void Register(string base64Key, string origin)
    {
        base64Key = base64Key.Trim();
        Span<byte> bytes = stackalloc byte[32];
        if (!Convert.TryFromBase64String(base64Key, bytes, out var written) || written != 32)
        {
            return;
        }
        var forms = new[] { base64Key, Convert.ToHexStringLower(bytes) };
        lock (_gate)
        {
            foreach (var form in forms)
            {
                if (_secrets.TryAdd(form, origin))
                {
                    foreach (var (source, text) in _outputs)
                    {
                        CheckOne(source, text, form, origin);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Registers every secret in the <c>*.key</c>, <c>*.psk</c> and <c>*.conf</c> files under <paramref name="directory"/> (if it
    /// exists) and observes its <c>*.log</c> files; nothing else is opened (a lab directory holds sockets).
    /// </summary>
    public void Harvest(string directory, string origin)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var extension = Path.GetExtension(file);
            if (extension is not (".key" or ".psk" or ".conf" or ".log") || new FileInfo(file).Length > 8 << 20)
            {
                continue;
            }
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var where = $"{origin}: {Path.GetRelativePath(directory, file)}";
            if (extension is ".key" or ".psk")
            {
                Register(text, where);
            }
            foreach (Match match in ConfigurationSecret().Matches(text))
            {
                Register(match.Groups[1].Value, where);
            }
            if (extension == ".log")
            {
                Observe(where, text);
            }
        }
    }

    /// <summary>Checks <paramref name="text"/>, an output of sitewire or sitewired, against every secret, now and as more are registered.</summary>
    public void Observe(string source, string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        lock (_gate)
        {
            foreach (var (form, origin) in _secrets)
            {
                CheckOne(source, text, form, origin);
            }
            _outputs.Enqueue((source, text));
            _keptChars += text.Length;
            while (_keptChars > KeptOutputChars && _outputs.Count > 1)
            {
                _keptChars -= _outputs.Dequeue().Text.Length;
            }
        }
    }

    /// <summary>Fails with every leak seen since the last call (each reported once).</summary>
    public void AssertNoLeaks()
    {
        var found = new StringBuilder();
        while (_leaks.TryDequeue(out var leak))
        {
            found.AppendLine(leak);
        }
        Assert.True(found.Length == 0, $"a private or preshared key appeared in an output:\n{found}");
    }

    private void CheckOne(string source, string text, string form, string origin)
    {
        var at = text.IndexOf(form, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }
        var start = Math.Max(0, at - 60);
        var context = text[start..at] + "<the key>" + text.Substring(at + form.Length, Math.Min(60, text.Length - at - form.Length));
        _leaks.Enqueue($"  {source}: the key from {origin} ({(form.Length == 64 ? "hex" : "base64")}) in \"{context.ReplaceLineEndings("⏎")}\"");
    }

    [GeneratedRegex(@"^\s*(?:PrivateKey|PresharedKey)\s*=\s*([A-Za-z0-9+/]{43}=)\s*$", RegexOptions.Multiline)]
    private static partial Regex ConfigurationSecret();
}
