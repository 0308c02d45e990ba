using System.Collections.Frozen;
using System.Text;

namespace Hotline.Runtime.Knowledge;

public readonly record struct KnowledgeQueryTerm(string Text, double Weight);

/// <summary>
/// A search request turned into concepts. Most concepts are one term (a bigram or word of the query). A phrase with
/// aliases is one concept with alternatives: the query's own terms at weight 1, each alias's terms at
/// <see cref="AliasWeight"/>; an article scores the best alternative it matches, not their sum, so one that says both
/// "停水" and "没水" does not count the same idea twice.
/// </summary>
public sealed class KnowledgeQuery
{
    /// <summary>
    /// An alias is evidence of the same concept but weaker than the caller's own words, so between two articles that
    /// both answer, the one phrased like the caller ranks first.
    /// </summary>
    public const double AliasWeight = 0.8;

    /// <summary>
    /// Bigrams of question words say that something is asked, not what. Left in, they match every article phrased as
    /// a question, and in a small corpus their rarity even makes them look like topics ("停水怎么办" finding "停电怎么办").
    /// </summary>
    public static readonly FrozenSet<string> QuestionWords = new[]
    {
        "怎么", "么办", "怎样", "么样", "如何", "什么", "么时", "时候", "哪里", "哪儿", "哪些", "哪个", "为什", "多少", "多久",
        "是否", "能否", "能不", "不能", "可以", "请问", "需要", "要什", "了怎", "吗",
    }.ToFrozenSet(StringComparer.Ordinal);

    private KnowledgeQuery(IReadOnlyList<IReadOnlyList<IReadOnlyList<KnowledgeQueryTerm>>> concepts)
    {
        Concepts = concepts;
        Terms = concepts.SelectMany(c => c).SelectMany(a => a)
            .GroupBy(t => t.Text, StringComparer.Ordinal).Select(g => new KnowledgeQueryTerm(g.Key, g.Max(t => t.Weight))).ToArray();
    }

    /// <summary>Each concept's alternatives, each a set of weighted terms.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<KnowledgeQueryTerm>>> Concepts { get; }

    /// <summary>Every distinct term of every alternative, at its highest weight.</summary>
    public IReadOnlyList<KnowledgeQueryTerm> Terms { get; }

    public bool IsEmpty => Concepts.Count == 0;

    public static KnowledgeQuery Parse(string text, KnowledgeAliases? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = KnowledgeTokenizer.ForQuery(text);
        // A query of nothing but question words ("怎么办") keeps them: it is all the caller said.
        var topical = tokens.Where(t => !QuestionWords.Contains(t.Text)).ToList();
        if (topical.Count == 0) topical = [.. tokens];

        var concepts = new List<IReadOnlyList<IReadOnlyList<KnowledgeQueryTerm>>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var match in (aliases ?? KnowledgeAliases.None).Find(text))
        {
            var own = topical.Where(t => t.Start >= match.Start && t.Start + t.Length <= match.Start + match.Length).ToList();
            topical.RemoveAll(own.Contains);
            var alternatives = new List<IReadOnlyList<KnowledgeQueryTerm>>();
            if (own.Count > 0) alternatives.Add(own.Select(t => new KnowledgeQueryTerm(t.Text, 1)).DistinctBy(t => t.Text).ToArray());
            foreach (var phrase in match.Alternatives)
            {
                var terms = KnowledgeTokenizer.ForQuery(phrase).Where(t => !QuestionWords.Contains(t.Text))
                    .Select(t => new KnowledgeQueryTerm(t.Text, AliasWeight)).DistinctBy(t => t.Text).ToArray();
                if (terms.Length > 0) alternatives.Add(terms);
            }
            if (alternatives.Count > 0) concepts.Add(alternatives);
        }
        foreach (var token in topical)
        {
            if (seen.Add(token.Text)) concepts.Add([[new KnowledgeQueryTerm(token.Text, 1)]]);
        }
        return new KnowledgeQuery(concepts);
    }
}

/// <summary>
/// BM25 over the searchable articles, with the fields weighted (a simplified BM25F): a term in the title or a
/// listed question says far more about what an article answers than the same term deep in its answer text.
/// Immutable: a new index is built when the articles change, and searches in flight keep the one they started with.
/// </summary>
public sealed class KnowledgeIndex
{
    public const double TitleWeight = 3;
    public const double QuestionWeight = 2.5;
    public const double KeywordWeight = 2;
    public const double AnswerWeight = 1;

    /// <summary>
    /// Hits scoring under this share of the best are dropped: they matched on an incidental word (小区, 办理), which a
    /// long matter description is full of, and a list of them hides the answers that matter from an agent with a
    /// caller on the line.
    /// </summary>
    public const double RelevanceFloor = 0.15;

    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int SnippetLength = 80;
    private const int SnippetLead = 16;

    public static readonly KnowledgeIndex Empty = new([]);

    private readonly KnowledgeArticle[] _searchable;
    private readonly double[] _norms;
    private readonly Dictionary<string, List<(int Doc, double Tf)>> _postings = new(StringComparer.Ordinal);

    public KnowledgeIndex(IEnumerable<KnowledgeArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        All = articles.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id, StringComparer.Ordinal).ToArray();
        _searchable = All.Where(a => !a.Retired).ToArray();
        var lengths = new double[_searchable.Length];
        for (var doc = 0; doc < _searchable.Length; doc++)
        {
            var article = _searchable[doc];
            var tf = new Dictionary<string, double>(StringComparer.Ordinal);
            void Add(string text, double weight)
            {
                foreach (var token in KnowledgeTokenizer.ForDocument(text))
                {
                    tf[token.Text] = tf.GetValueOrDefault(token.Text) + weight;
                    lengths[doc]++;
                }
            }
            Add(article.Title, TitleWeight);
            foreach (var q in article.Questions) Add(q, QuestionWeight);
            foreach (var k in article.Keywords) Add(k, KeywordWeight);
            Add(article.Answer, AnswerWeight);
            foreach (var (term, weighted) in tf)
            {
                if (!_postings.TryGetValue(term, out var list)) _postings[term] = list = [];
                list.Add((doc, weighted));
            }
        }
        var average = lengths.Length == 0 ? 1 : Math.Max(1, lengths.Average());
        _norms = lengths.Select(l => 1 - B + B * l / average).ToArray();
    }

    /// <summary>Every article, retired ones included, most recently updated first.</summary>
    public IReadOnlyList<KnowledgeArticle> All { get; }

    public int SearchableCount => _searchable.Length;

    /// <summary>Current articles matching the query, best first, optionally of one category.</summary>
    public KnowledgePage Search(KnowledgeQuery query, string? category = null, int skip = 0, int take = 10)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scores = new Dictionary<int, double>();
        foreach (var concept in query.Concepts)
        {
            // "社会保障" is three bigrams and "社保" one: an alternative scores its mean term times the concept's widest
            // form, so the concept weighs the same in the query whichever form an article uses.
            var width = concept.Max(a => a.Count);
            var best = new Dictionary<int, double>();
            foreach (var alternative in concept)
            {
                var sum = new Dictionary<int, double>();
                foreach (var term in alternative) Score(term, sum);
                foreach (var (doc, score) in sum) best[doc] = Math.Max(best.GetValueOrDefault(doc), score / alternative.Count * width);
            }
            foreach (var (doc, score) in best) scores[doc] = scores.GetValueOrDefault(doc) + score;
        }
        var ranked = scores
            .Where(s => category is null || string.Equals(_searchable[s.Key].Category, category, StringComparison.Ordinal))
            .OrderByDescending(s => s.Value).ThenByDescending(s => _searchable[s.Key].UpdatedAt).ThenBy(s => _searchable[s.Key].Id, StringComparer.Ordinal)
            .ToList();
        if (ranked.Count > 0)
        {
            var floor = ranked[0].Value * RelevanceFloor;
            ranked.RemoveAll(s => s.Value < floor);
        }
        var items = ranked.Skip(skip).Take(take)
            .Select(s => Hit(_searchable[s.Key], Math.Round(s.Value, 3), Snippet(_searchable[s.Key].Answer, query)))
            .ToArray();
        return new KnowledgePage(items, ranked.Count);
    }

    private void Score(KnowledgeQueryTerm term, Dictionary<int, double> scores)
    {
        if (!_postings.TryGetValue(term.Text, out var postings)) return;
        var idf = Math.Log(1 + (_searchable.Length - postings.Count + 0.5) / (postings.Count + 0.5));
        foreach (var (doc, tf) in postings)
        {
            scores[doc] = scores.GetValueOrDefault(doc) + term.Weight * idf * tf * (K1 + 1) / (tf + K1 * _norms[doc]);
        }
    }

    /// <summary>Articles without a query: most recently updated first, retired ones only when asked for.</summary>
    public KnowledgePage List(string? category = null, bool includeRetired = false, int skip = 0, int take = 50)
    {
        var rows = All.Where(a => (includeRetired || !a.Retired) && (category is null || string.Equals(a.Category, category, StringComparison.Ordinal))).ToList();
        return new KnowledgePage(rows.Skip(skip).Take(take).Select(a => Hit(a, null, Snippet(a.Answer, null))).ToArray(), rows.Count);
    }

    /// <summary>
    /// About <see cref="SnippetLength"/> characters of the answer around the first place the caller's own words
    /// (else an alias) occur, so the agent sees at a glance whether the article answers this caller.
    /// </summary>
    public static string Snippet(string answer, KnowledgeQuery? query)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var folded = KnowledgeTokenizer.Fold(answer);
        var at = -1;
        if (query is not null)
        {
            foreach (var group in query.Terms.GroupBy(t => t.Weight).OrderByDescending(g => g.Key))
            {
                foreach (var term in group)
                {
                    var i = folded.IndexOf(term.Text, StringComparison.Ordinal);
                    if (i >= 0 && (at < 0 || i < at)) at = i;
                }
                if (at >= 0) break;
            }
        }
        var start = at <= SnippetLead ? 0 : at - SnippetLead;
        var end = Math.Min(answer.Length, start + SnippetLength);
        if (start > 0 && char.IsLowSurrogate(answer[start])) start--;
        if (end < answer.Length && char.IsLowSurrogate(answer[end])) end++;
        var text = new StringBuilder();
        if (start > 0) text.Append('…');
        foreach (var c in answer.AsSpan(start, end - start)) text.Append(c is '\r' or '\n' ? ' ' : c);
        if (end < answer.Length) text.Append('…');
        return text.ToString();
    }

    private static KnowledgeHit Hit(KnowledgeArticle a, double? score, string snippet) =>
        new(a.Id, a.Title, a.Category, a.Owner, score, snippet, a.Version, a.UpdatedAt, a.Retired);
}
