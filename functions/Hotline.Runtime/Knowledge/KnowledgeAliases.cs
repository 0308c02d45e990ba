namespace Hotline.Runtime.Knowledge;

/// <summary>Where a text says one phrase of an alias group, and the other phrases that mean the same.</summary>
public sealed record AliasMatch(int Start, int Length, IReadOnlyList<string> Alternatives);

/// <summary>
/// Groups of phrases that mean the same thing to a caller ("社保" and "社会保障"; "狗证" and "养犬登记"). Citizens use
/// the short, spoken form, articles the official one, and the two share no bigram, so no scoring formula can bridge
/// them; a list kept as data can, and staff extend it without a release. Groups apply in both directions.
/// </summary>
public sealed class KnowledgeAliases
{
    public static readonly KnowledgeAliases None = new([]);

    private readonly string[][] _groups;

    public KnowledgeAliases(IEnumerable<IEnumerable<string>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups
            .Select(g => g.Select(p => KnowledgeTokenizer.Fold(p.Trim())).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray())
            .Where(g => g.Length > 1)
            .ToArray();
    }

    public int Count => _groups.Length;

    /// <summary>
    /// Each place <paramref name="text"/> says a phrase of some group, with the phrases it could have said instead.
    /// A phrase in several groups ("社保": 社会保障, 社会保险) is one match with the alternatives of all of them.
    /// </summary>
    public IReadOnlyList<AliasMatch> Find(string text)
    {
        var folded = KnowledgeTokenizer.Fold(text);
        var found = new Dictionary<(int Start, int Length), List<string>>();
        foreach (var group in _groups)
        {
            foreach (var phrase in group)
            {
                var at = folded.IndexOf(phrase, StringComparison.Ordinal);
                if (at < 0) continue;
                if (!found.TryGetValue((at, phrase.Length), out var alternatives)) found[(at, phrase.Length)] = alternatives = [];
                alternatives.AddRange(group.Where(p => p != phrase && !folded.Contains(p, StringComparison.Ordinal) && !alternatives.Contains(p)));
            }
        }
        // A phrase whose every alias the text already says adds nothing.
        return found.Where(f => f.Value.Count > 0).OrderBy(f => f.Key.Start).ThenByDescending(f => f.Key.Length)
            .Select(f => new AliasMatch(f.Key.Start, f.Key.Length, f.Value)).ToArray();
    }
}
