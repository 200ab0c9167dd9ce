using System.Globalization;
using System.Net;
using Sitewire.Config.Diagnostics;
using Sitewire.Config.Input;
using Sitewire.Config.Topology;
using Sitewire.Crypto;

namespace Sitewire.Config.WgQuick;

/// <summary>
/// Reads wg-quick INI as wg-quick does: section names and keys case-insensitive, '#' starts a
/// comment anywhere on a line, list keys (Address, DNS, AllowedIPs) may repeat and hold
/// comma-separated values. Files and lines are bounded by <see cref="InputLimits"/>. Keys are checked as base64 of 32 bytes. A comment line directly after
/// a [Peer] header is kept as the peer's name. Every error names file:line:col and the key.
/// </summary>
public static class WgQuickParser
{
    private enum Section
    {
        None,
        Interface,
        Peer,
    }

    public static WgQuickParseResult Load(string path)
    {
        var text = BoundedTextFile.Read(path, "a readable wg-quick file", out var error);
        return text is null ? new WgQuickParseResult(null, [error!]) : Parse(text, path);
    }

    public static WgQuickParseResult Parse(string text, string file)
    {
        var state = new ParseState(file);
        var section = Section.None;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            var lineNumber = index + 1;
            if (line.Length > InputLimits.MaxWgQuickLineLength)
            {
                state.Error(lineNumber, InputLimits.MaxWgQuickLineLength + 1, "(line)", $"a line of {line.Length} characters", $"at most {InputLimits.MaxWgQuickLineLength} characters per line");
                continue;
            }
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var content = hash >= 0 ? line[..hash] : line;
            if (string.IsNullOrWhiteSpace(content))
            {
                if (section == Section.Peer && hash >= 0 && state.PeerJustOpened && string.IsNullOrWhiteSpace(line[..hash]))
                {
                    state.PeerName = line[(hash + 1)..].Trim();
                }
                continue;
            }
            var column = content.Length - content.TrimStart().Length + 1;
            var trimmed = content.Trim();
            if (trimmed.StartsWith('['))
            {
                section = trimmed.ToUpperInvariant() switch
                {
                    "[INTERFACE]" => Section.Interface,
                    "[PEER]" => Section.Peer,
                    _ => Section.None,
                };
                state.CloseSection();
                if (section == Section.None)
                {
                    state.Error(lineNumber, column, trimmed, $"unknown section {trimmed}", "[Interface] or [Peer]");
                }
                else if (section == Section.Interface)
                {
                    state.OpenInterface(lineNumber, column);
                }
                else
                {
                    state.OpenPeer(lineNumber, column);
                }
                continue;
            }
            var equals = content.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                state.Error(lineNumber, column, trimmed, "line is neither a section header nor 'Key = Value'", "Key = Value");
                continue;
            }
            var key = content[..equals].Trim();
            var value = content[(equals + 1)..].Trim();
            var valueColumn = equals + 2 + (content[(equals + 1)..].Length - content[(equals + 1)..].TrimStart().Length);
            var at = new ValueAt(lineNumber, column, valueColumn, key, value);
            switch (section)
            {
                case Section.Interface:
                    state.InterfaceKey(at);
                    break;
                case Section.Peer:
                    state.PeerKey(at);
                    break;
                default:
                    state.Error(lineNumber, column, key, "key outside of a section", "[Interface] or [Peer] first");
                    break;
            }
        }
        state.CloseSection();
        return state.Result();
    }

    internal readonly record struct ValueAt(int Line, int KeyColumn, int ValueColumn, string Key, string Value);

    private sealed class ParseState(string file)
    {
        private readonly List<Diagnostic> _diagnostics = [];
        private readonly List<WgQuickPeer> _peers = [];
        private readonly List<InterfaceAddress> _addresses = [];
        private readonly List<string> _dns = [];
        private readonly List<string> _preUp = [];
        private readonly List<string> _postUp = [];
        private readonly List<string> _preDown = [];
        private readonly List<string> _postDown = [];
        private Key? _privateKey;
        private int? _listenPort;
        private int? _mtu;
        private string? _table;
        private bool _sawInterface;
        private PeerDraft? _peer;

        public bool PeerJustOpened => _peer is { KeyCount: 0 } && PeerName is null;

        public string? PeerName { get; set; }

        public void Error(int line, int column, string field, string message, string? expected) =>
            _diagnostics.Add(new Diagnostic(new SourceLocation(file, line, column), field, message, expected));

        public void OpenInterface(int line, int column)
        {
            if (_sawInterface)
            {
                Error(line, column, "[Interface]", "a second [Interface] section", "one [Interface] section");
            }
            _sawInterface = true;
        }

        public void OpenPeer(int line, int column) => _peer = new PeerDraft(line, column);

        public void CloseSection()
        {
            if (_peer is { } peer)
            {
                if (peer.PublicKey is { } publicKey)
                {
                    _peers.Add(new WgQuickPeer(publicKey, peer.PresharedKey, peer.AllowedIps, peer.Endpoint, peer.PersistentKeepalive, PeerName));
                }
                else
                {
                    Error(peer.Line, peer.Column, "[Peer]", "peer without PublicKey", "a 'PublicKey =' line in every [Peer]");
                }
            }
            _peer = null;
            PeerName = null;
        }

        public void InterfaceKey(ValueAt at)
        {
            switch (at.Key.ToUpperInvariant())
            {
                case "ADDRESS":
                    foreach (var item in Items(at.Value))
                    {
                        if (TopologyValues.ParseInterfaceAddress(item, out _) is { } parsed)
                        {
                            _addresses.Add(new InterfaceAddress(parsed.Address, parsed.Length));
                        }
                        else if (TopologyValues.ParseAddress(item, out _) is { } bare)
                        {
                            _addresses.Add(new InterfaceAddress(bare, bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
                        }
                        else
                        {
                            Error(at.Line, at.ValueColumn, at.Key, $"'{item}' is not an address", "ADDRESS[/LENGTH], comma-separated");
                        }
                    }
                    break;
                case "PRIVATEKEY":
                    _privateKey = ParseKey(at);
                    break;
                case "LISTENPORT":
                    _listenPort = ParseInteger(at, 0, 65535);
                    break;
                case "MTU":
                    _mtu = ParseInteger(at, 576, 65535);
                    break;
                case "TABLE":
                    _table = at.Value;
                    break;
                case "DNS":
                    _dns.AddRange(Items(at.Value));
                    break;
                case "PREUP":
                    _preUp.Add(at.Value);
                    break;
                case "POSTUP":
                    _postUp.Add(at.Value);
                    break;
                case "PREDOWN":
                    _preDown.Add(at.Value);
                    break;
                case "POSTDOWN":
                    _postDown.Add(at.Value);
                    break;
                case "SAVECONFIG" or "FWMARK":
                    break;
                default:
                    Error(at.Line, at.KeyColumn, at.Key, $"unknown [Interface] key '{at.Key}'", "Address, PrivateKey, ListenPort, MTU, Table, DNS, FwMark, SaveConfig, PreUp, PostUp, PreDown, PostDown");
                    break;
            }
        }

        public void PeerKey(ValueAt at)
        {
            var peer = _peer!;
            peer.KeyCount++;
            switch (at.Key.ToUpperInvariant())
            {
                case "PUBLICKEY":
                    peer.PublicKey = ParseKey(at);
                    break;
                case "PRESHAREDKEY":
                    peer.PresharedKey = ParseKey(at);
                    break;
                case "ALLOWEDIPS":
                    foreach (var item in Items(at.Value))
                    {
                        if (ParseAllowedIp(item) is { } prefix)
                        {
                            peer.AllowedIps.Add(prefix);
                        }
                        else
                        {
                            Error(at.Line, at.ValueColumn, at.Key, $"'{item}' is not a prefix", "ADDRESS/LENGTH, comma-separated");
                        }
                    }
                    break;
                case "ENDPOINT":
                    if (TopologyValues.ParseEndpoint(at.Value, 0, out _) is { Port: > 0 })
                    {
                        peer.Endpoint = at.Value;
                    }
                    else
                    {
                        Error(at.Line, at.ValueColumn, at.Key, $"'{at.Value}' is not an endpoint", "HOST:PORT or [IPV6]:PORT");
                    }
                    break;
                case "PERSISTENTKEEPALIVE":
                    peer.PersistentKeepalive = at.Value.Equals("off", StringComparison.OrdinalIgnoreCase) ? 0 : ParseInteger(at, 0, 65535);
                    break;
                default:
                    Error(at.Line, at.KeyColumn, at.Key, $"unknown [Peer] key '{at.Key}'", "PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive");
                    break;
            }
        }

        public WgQuickParseResult Result()
        {
            if (!_sawInterface && _diagnostics.Count == 0)
            {
                Error(1, 1, "[Interface]", "no [Interface] section", "an [Interface] section");
            }
            if (_diagnostics.Count > 0)
            {
                return new WgQuickParseResult(null, _diagnostics);
            }
            var face = new WgQuickInterface(_addresses, _privateKey, _listenPort, _mtu, _table, _dns, _preUp, _postUp, _preDown, _postDown);
            return new WgQuickParseResult(new WgQuickConfig(face, _peers), []);
        }

        private Key? ParseKey(ValueAt at)
        {
            if (at.Value.Length == Key.Base64Length && Key.TryParseBase64(at.Value, out var key))
            {
                return key;
            }
            Error(at.Line, at.ValueColumn, at.Key, "not a valid key", "44 characters of base64 encoding 32 bytes");
            return null;
        }

        private int? ParseInteger(ValueAt at, int minimum, int maximum)
        {
            if (int.TryParse(at.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum)
            {
                return number;
            }
            Error(at.Line, at.ValueColumn, at.Key, $"'{at.Value}' is not a valid number", $"an integer from {minimum} to {maximum}");
            return null;
        }

        private static IPNetwork? ParseAllowedIp(string item)
        {
            var parsed = TopologyValues.ParseInterfaceAddress(item, out _);
            if (parsed is not { } prefix)
            {
                return TopologyValues.ParseAddress(item, out _) is { } bare ? new IPNetwork(bare, bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : null;
            }
            return new IPNetwork(TopologyValues.Masked(prefix.Address, prefix.Length), prefix.Length);
        }

        private static IEnumerable<string> Items(string value) =>
            value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private sealed class PeerDraft(int line, int column)
    {
        public int Line { get; } = line;

        public int Column { get; } = column;

        public int KeyCount { get; set; }

        public Key? PublicKey { get; set; }

        public Key? PresharedKey { get; set; }

        public List<IPNetwork> AllowedIps { get; } = [];

        public string? Endpoint { get; set; }

        public int? PersistentKeepalive { get; set; }
    }
}
