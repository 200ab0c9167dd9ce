using System.Text;

namespace Sitewire.Planner.Import;

/// <summary>
/// One <c>;</c>-separated part of a wg-quick hook line: its text as written (<see cref="Text"/>) and its words with
/// quotes removed, operators (<c>||</c>, <c>&amp;&amp;</c>, <c>|</c>, redirections) as words of their own.
/// <see cref="Words"/> is null when the part uses what this reader does not follow (command substitution, variables,
/// compound commands, an unclosed quote): such a part is never understood, only kept.
/// </summary>
internal sealed record HookSegment(string Text, IReadOnlyList<string>? Words)
{
    private static readonly string[] Compound = ["if", "then", "else", "fi", "for", "while", "do", "done", "case", "esac", "{", "}"];

    /// <summary>The line's parts, in order; linear in the line's length.</summary>
    public static IReadOnlyList<HookSegment> Split(string line)
    {
        var segments = new List<HookSegment>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var followable = true;
        var start = 0;
        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }
        void EndSegment(int end)
        {
            EndWord();
            var text = line[start..end].Trim();
            if (text.Length > 0)
            {
                segments.Add(new HookSegment(text, followable && words.Count > 0 && !Compound.Contains(words[0]) ? [.. words] : null));
            }
            words.Clear();
            followable = true;
            start = end + 1;
        }
        for (var index = 0; index < line.Length; index++)
        {
            var c = line[index];
            switch (c)
            {
                case ';':
                    EndSegment(index);
                    break;
                case ' ' or '\t':
                    EndWord();
                    break;
                case '\'':
                    var close = line.IndexOf('\'', index + 1);
                    if (close < 0)
                    {
                        followable = false;
                        close = line.Length - 1;
                    }
                    word.Append(line, index + 1, Math.Max(0, close - index - 1));
                    inWord = true;
                    index = close;
                    break;
                case '"':
                    inWord = true;
                    index++;
                    while (index < line.Length && line[index] != '"')
                    {
                        if (line[index] is '$' or '`')
                        {
                            followable = false;
                        }
                        if (line[index] == '\\' && index + 1 < line.Length && line[index + 1] is '"' or '\\' or '$' or '`')
                        {
                            index++;
                        }
                        word.Append(line[index]);
                        index++;
                    }
                    followable &= index < line.Length;
                    break;
                case '&' when inWord && word.Length > 0 && word[^1] == '>':
                    word.Append(c);
                    break;
                case '|' or '&':
                    EndWord();
                    var twice = index + 1 < line.Length && line[index + 1] == c;
                    words.Add(twice ? $"{c}{c}" : c.ToString());
                    index += twice ? 1 : 0;
                    break;
                case '$' or '`' or '\\' or '(' or ')' or '<' or '*' or '?':
                    followable = false;
                    word.Append(c);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        EndSegment(line.Length);
        return segments;
    }
}
