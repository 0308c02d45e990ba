using System.Text;

namespace Hotline.Runtime.Knowledge;

/// <summary>A token and where it came from in the original text (UTF-16 indices), so snippets can quote the source.</summary>
public readonly record struct KnowledgeToken(string Text, int Start, int Length);

/// <summary>
/// Splits text for search. Chinese is written without spaces and a word segmenter needs a dictionary we do not
/// have, so runs of Han characters become overlapping character bigrams ("社保卡" → 社保, 保卡), which match any
/// word the query and the article share without knowing where words end. Runs of letters and digits become
/// lowercase words; everything else (spaces, punctuation of either width) separates runs, so no bigram spans a
/// comma. Documents also index every Han character alone so that a one-character query ("水") can match.
/// </summary>
public static class KnowledgeTokenizer
{
    private enum RunKind { Separator, Han, Word }

    /// <summary>
    /// Folds a character for matching: full-width ASCII forms and the ideographic space to their ASCII forms, then
    /// lower case. One character in, one character out, so indices in the folded text are indices in the original.
    /// </summary>
    public static char Fold(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
        else if (c == '\u3000') c = ' ';
        return char.ToLowerInvariant(c);
    }

    /// <summary>The text folded character by character; as long as the original.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = Fold(source[i]);
        });
    }

    /// <summary>The tokens an article's field is indexed under: Han bigrams and unigrams, and words.</summary>
    public static IReadOnlyList<KnowledgeToken> ForDocument(string text) => Tokenize(text, unigramsAlways: true);

    /// <summary>
    /// The tokens of a query: Han bigrams, a lone Han character as a unigram, and words. Unigrams of longer runs are
    /// left out because almost every article shares some single character with a sentence; they would drown the signal.
    /// </summary>
    public static IReadOnlyList<KnowledgeToken> ForQuery(string text) => Tokenize(text, unigramsAlways: false);

    /// <summary>True for Han ideographs (and kana, which is also written without spaces).</summary>
    public static bool IsHan(Rune r) => r.Value is
        (>= 0x3040 and <= 0x30FF)      // hiragana, katakana
        or 0x3007                       // 〇
        or (>= 0x3400 and <= 0x4DBF)    // extension A
        or (>= 0x4E00 and <= 0x9FFF)    // unified ideographs
        or (>= 0xF900 and <= 0xFAFF)    // compatibility ideographs
        or (>= 0x20000 and <= 0x3134F); // extensions B–G

    private static List<KnowledgeToken> Tokenize(string text, bool unigramsAlways)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<KnowledgeToken>();
        var folded = Fold(text);
        var han = new List<(int Start, int Length)>();
        var wordStart = -1;
        var index = 0;
        foreach (var rune in folded.EnumerateRunes())
        {
            var kind = IsHan(rune) ? RunKind.Han : Rune.IsLetterOrDigit(rune) ? RunKind.Word : RunKind.Separator;
            if (kind != RunKind.Word && wordStart >= 0)
            {
                tokens.Add(new KnowledgeToken(folded[wordStart..index], wordStart, index - wordStart));
                wordStart = -1;
            }
            if (kind != RunKind.Han && han.Count > 0)
            {
                EmitHan(folded, han, unigramsAlways, tokens);
                han.Clear();
            }
            if (kind == RunKind.Han) han.Add((index, rune.Utf16SequenceLength));
            else if (kind == RunKind.Word && wordStart < 0) wordStart = index;
            index += rune.Utf16SequenceLength;
        }
        if (wordStart >= 0) tokens.Add(new KnowledgeToken(folded[wordStart..], wordStart, folded.Length - wordStart));
        if (han.Count > 0) EmitHan(folded, han, unigramsAlways, tokens);
        return tokens;
    }

    private static void EmitHan(string folded, List<(int Start, int Length)> run, bool unigramsAlways, List<KnowledgeToken> tokens)
    {
        if (run.Count == 1 || unigramsAlways)
        {
            foreach (var (start, length) in run) tokens.Add(new KnowledgeToken(folded.Substring(start, length), start, length));
        }
        for (var i = 0; i + 1 < run.Count; i++)
        {
            var start = run[i].Start;
            var length = run[i].Length + run[i + 1].Length;
            tokens.Add(new KnowledgeToken(folded.Substring(start, length), start, length));
        }
    }
}
