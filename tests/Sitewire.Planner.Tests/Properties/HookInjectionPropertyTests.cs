using System.Text;
using Sitewire.Config.Topology;
using Sitewire.Planner.Plan;
using Sitewire.Planner.Tests.Plan;

namespace Sitewire.Planner.Tests.Properties;

/// <summary>
/// Random strings in the fields that reach generated files — interface names (shell words in PostUp/PostDown), the
/// endpoint host (an Endpoint line), the topology's file name (the header comment) — bypassing the loader that would
/// refuse most of them. Each generated wg-quick file is read back the way wg-quick reads it, by the real
/// <c>wg-quick strip</c> and by bash; every hook must pass <c>bash -n</c>, and when run with the firewall tools
/// replaced by recorders it may call only those tools, with exactly the intended interface names as arguments.
/// A value that cannot be written safely must be refused with an error, never written.
/// </summary>
public sealed class HookInjectionPropertyTests
{
    private const string Tunnel = "wireguard0";
    private static readonly string[] Fragments = ["%i", "$(", ")", "`", ";", "&&", "|", "'", "\"", "\\", "#", "\n", "\r", "\n[Interface]\nPostUp = touch pwned\n#", "PostUp = ", "${IFS}", "*", "~", "!", " ", "\t", "{", "}", "<", ">", "\u202e", "\u2028", "\u0085", "\u001b[2J", "é", "東", "=", "\x7f", "\x01"];

    [Trait("Needs", "root")]
    [Fact]
    public void Random_field_values_never_add_a_line_a_section_or_a_command()
    {
        var seed = PlanFixtures.Load(PlanFixtures.Example("seed.yaml"));
        var keys = PlanFixtures.TestKeys(seed);
        using var temporary = new TemporaryDirectory();
        var refused = 0;
        for (var round = 0; round < 24; round++)
        {
            var random = new Random(round);
            var relayInterface = RandomValue(random);
            var homeInterface = RandomValue(random);
            var relayHost = round % 2 == 0 ? RandomValue(random) : "203.0.113.10";
            var topology = seed with
            {
                SourceFile = "/tmp/" + RandomValue(random) + ".yaml",
                Nodes = seed.Nodes.Select(node => node.Name switch
                {
                    "relay" => node with { PublicInterface = relayInterface, Endpoint = new PublicEndpoint(relayHost, 51820) },
                    "home" => node with { Lan = node.Lan! with { Interface = homeInterface } },
                    _ => node,
                }).ToList(),
            };
            var plan = NetworkPlanner.Plan(topology, new PlanOptions(), keys);
            List<PlanFile> files;
            try
            {
                files = PlanOutputBuilder.Build(plan, keys).ToList();
            }
            catch (ArgumentException refusal)
            {
                Assert.True(relayHost.AsSpan().IndexOfAny("\n\r#") >= 0, $"round {round}: refused without cause: {refusal.Message}");
                refused++;
                continue;
            }
            foreach (var nodePlan in plan.Nodes)
            {
                var text = Encoding.UTF8.GetString(files.Single(file => file.RelativePath == $"{nodePlan.Name}/{Tunnel}.conf").Content);
                var intendedNames = nodePlan.Name switch
                {
                    "relay" => new[] { relayInterface, Tunnel },
                    "home" => [homeInterface, Tunnel],
                    _ => ["ens33", Tunnel],
                };
                AssertReadBackExactly(round, nodePlan, text, intendedNames, temporary.Path);
            }
        }
        Assert.InRange(refused, 1, 23);
    }

    private static void AssertReadBackExactly(int round, NodePlan nodePlan, string text, string[] intendedNames, string directory)
    {
        var context = $"round {round}, {nodePlan.Name}:\n{text}";
        var conf = Path.Combine(directory, $"{Tunnel}.conf");
        File.WriteAllText(conf, text);
        var result = Bash(ReadBackScript, conf, Path.Combine(directory, "calls"));
        Assert.True(result.ExitCode == 0, $"{context}\nexit {result.ExitCode}: {result.Errors}");
        var sections = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["[Interface]", .. Enumerable.Repeat("[Peer]", nodePlan.Config.Peers.Count)], sections.Where(line => line.StartsWith('[')));
        Assert.DoesNotContain("SYNTAX", result.Output, StringComparison.Ordinal);

        var intended = nodePlan.Config.Interface.PostUp.Concat(nodePlan.Config.Interface.PostDown).Select(hook => hook.Replace("%i", Tunnel, StringComparison.Ordinal)).ToList();
        var hooks = File.ReadAllText(Path.Combine(directory, "calls.hooks")).Split('\x1e', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(intended, hooks);
        foreach (var call in File.ReadAllText(Path.Combine(directory, "calls")).Split('\x1e', StringSplitOptions.RemoveEmptyEntries))
        {
            var argv = call.Split('\x1f');
            Assert.True(argv[0] is "iptables" or "ip6tables" or "nft" or "firewall-cmd" or "sysctl", $"{context}\nunexpected command: {string.Join(' ', argv)}");
            for (var index = 1; index < argv.Length; index++)
            {
                var named = argv[index] is "-o" or "-i" && index + 1 < argv.Length ? argv[index + 1]
                    : argv[index].StartsWith("--get-zone-of-interface=", StringComparison.Ordinal) ? argv[index]["--get-zone-of-interface=".Length..]
                    : null;
                Assert.True(named is null || intendedNames.Contains(named), $"{context}\nunintended interface argument '{named}' in {string.Join(' ', argv)}");
            }
        }
    }

    /// <summary>
    /// Reads the file as wg-quick does (a line is cut at its first '#', key and value trimmed), prints the sections and
    /// checks each hook with <c>bash -n</c>, then runs it as wg-quick would (%i replaced, eval) with the tools it may
    /// call replaced by recorders writing to fd 3; any other command lands in command_not_found_handle.
    /// </summary>
    private const string ReadBackScript = """
        set -u
        shopt -s extglob
        conf=$1; calls=$2
        wg-quick strip "$conf" > "$calls.strip" || { echo "wg-quick strip failed" >&2; exit 3; }
        hooks=()
        while read -r line || [[ -n $line ]]; do
          stripped="${line%%\#*}"
          key="${stripped%%=*}"; key="${key##*([[:space:]])}"; key="${key%%*([[:space:]])}"
          value="${stripped#*=}"; value="${value##*([[:space:]])}"; value="${value%%*([[:space:]])}"
          if [[ $key == \[* ]]; then echo "$key"; continue; fi
          [[ $key == PostUp || $key == PostDown ]] && hooks+=("${value//%i/wireguard0}")
        done < "$conf"
        [[ $(grep -c '^\[Interface\]' "$calls.strip") == 1 ]] || { echo "wg-quick strip: not one [Interface]" >&2; exit 4; }
        : > "$calls.hooks"
        for hook in "${hooks[@]}"; do printf '%s\x1e' "$hook" >> "$calls.hooks"; done
        record() { local IFS=$'\x1f'; printf '%s\x1e' "$*" >&3; }
        iptables() { record iptables "$@"; [[ " $* " != *" -C "* ]]; }
        ip6tables() { record ip6tables "$@"; [[ " $* " != *" -C "* ]]; }
        nft() { record nft "$@"; }
        sysctl() { record sysctl "$@"; }
        firewall-cmd() {
          record firewall-cmd "$@"
          case "$*" in
            *--get-zone-of-interface=*|*--get-default-zone*) echo public ;;
            *--query-forward*) return 1 ;;
          esac
        }
        command_not_found_handle() { record UNEXPECTED "$@"; return 127; }
        exec 3> "$calls"
        for hook in "${hooks[@]}"; do
          bash -n -c "$hook" 2>/dev/null || echo SYNTAX
          ( PATH=/nonexistent; eval "$hook" ) 2>/dev/null || true
        done
        """;

    private static (int ExitCode, string Output, string Errors) Bash(string script, params string[] arguments) =>
        ScriptProcess.Run("bash", ["-c", script, "read-back", .. arguments], TimeSpan.FromSeconds(30));

    private static string RandomValue(Random random)
    {
        var value = new StringBuilder();
        var parts = random.Next(1, 6);
        for (var part = 0; part < parts; part++)
        {
            value.Append(random.Next(3) switch
            {
                0 => Fragments[random.Next(Fragments.Length)],
                1 => (char)random.Next(0x21, 0x7f),
                _ => "eth" + random.Next(10),
            });
        }
        return value.ToString();
    }
}
