using System.Text.RegularExpressions;
using Hotline.Runtime.Organizers;

namespace Hotline.Runtime.Knowledge;

/// <summary>
/// An answer of the knowledge base. <see cref="Version"/> counts its changes (1 when created) and is what an editor
/// must name to change it. A retired article stays readable so that answers given from it earlier can be traced.
/// </summary>
public sealed record KnowledgeArticle(
    string Id,
    string Title,
    IReadOnlyList<string> Questions,
    IReadOnlyList<string> Keywords,
    string Answer,
    string? AnswerEn,
    string Category,
    string? Owner,
    int Version,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    bool Retired = false,
    DateTimeOffset? RetiredAt = null,
    string? RetiredBy = null);

/// <summary>What an editor writes: the content of an article, without its bookkeeping.</summary>
public sealed record KnowledgeDraft(
    string Title,
    IReadOnlyList<string> Questions,
    IReadOnlyList<string> Keywords,
    string Answer,
    string? AnswerEn,
    string Category,
    string? Owner);

/// <summary>One ranked answer to a search, or one row of a listing (no score).</summary>
public sealed record KnowledgeHit(
    string Id,
    string Title,
    string Category,
    string? Owner,
    double? Score,
    string Snippet,
    int Version,
    DateTimeOffset UpdatedAt,
    bool Retired);

public sealed record KnowledgePage(IReadOnlyList<KnowledgeHit> Items, int Total);

public sealed record KnowledgeFieldError(string Field, string Message);

public enum KnowledgeFailure { Invalid, NotFound, NotAllowed, StaleVersion, Retired }

/// <summary>
/// The result of a change: the article as it now is, or why nothing was written. On a stale version
/// <see cref="Article"/> is the current one, so the editor can see what changed.
/// </summary>
public sealed record KnowledgeOutcome(KnowledgeArticle? Article, KnowledgeFailure? Failure = null, string? Message = null,
    IReadOnlyList<KnowledgeFieldError>? Errors = null)
{
    public bool Succeeded => Failure is null;

    public static KnowledgeOutcome Done(KnowledgeArticle article) => new(article);

    public static KnowledgeOutcome Fail(KnowledgeFailure failure, string message, KnowledgeArticle? current = null) => new(current, failure, message);

    public static KnowledgeOutcome Invalid(IReadOnlyList<KnowledgeFieldError> errors) =>
        new(null, KnowledgeFailure.Invalid, string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);
}

/// <summary>The rules an article's content must follow, whoever writes it (staff API, organizer link, seed file).</summary>
public static partial class KnowledgeRules
{
    public const int MaxTitle = 100;
    public const int MaxQuestions = 20;
    public const int MaxQuestion = 200;
    public const int MaxKeywords = 30;
    public const int MaxKeyword = 32;

    /// <summary>As long as an on-the-spot answer may be, so an agent can give the article's answer as it stands.</summary>
    public const int MaxAnswer = 4000;

    public static bool ValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static bool ValidCategory(string? category) => category is not null && CategoryPattern().IsMatch(category);

    /// <summary>The draft trimmed, with empty optional parts dropped. List entries keep their places so errors can name them.</summary>
    public static KnowledgeDraft Normalize(KnowledgeDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new KnowledgeDraft(
            draft.Title.Trim(),
            draft.Questions.Select(q => q.Trim()).ToArray(),
            draft.Keywords.Select(k => k.Trim()).ToArray(),
            draft.Answer.Trim(),
            string.IsNullOrWhiteSpace(draft.AnswerEn) ? null : draft.AnswerEn.Trim(),
            draft.Category.Trim(),
            string.IsNullOrWhiteSpace(draft.Owner) ? null : draft.Owner.Trim());
    }

    /// <summary>Every problem of a (normalized) draft, each naming its field as the API spells it.</summary>
    public static IReadOnlyList<KnowledgeFieldError> Validate(KnowledgeDraft draft, OrganizerDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(directory);
        var errors = new List<KnowledgeFieldError>();
        Text(errors, "title", draft.Title, MaxTitle);
        Text(errors, "answer", draft.Answer, MaxAnswer);
        if (draft.AnswerEn is { Length: > MaxAnswer * 2 }) errors.Add(new("answerEn", $"At most {MaxAnswer * 2} characters."));
        List(errors, "questions", draft.Questions, MaxQuestions, MaxQuestion);
        List(errors, "keywords", draft.Keywords, MaxKeywords, MaxKeyword);
        if (draft.Category.Length == 0) errors.Add(new("category", "Required."));
        else if (!ValidCategory(draft.Category)) errors.Add(new("category", "Lowercase letters, digits and dashes, at most 64, like the matter categories (e.g. water-supply)."));
        if (draft.Owner is { } owner && directory.Find(owner) is null) errors.Add(new("owner", $"'{owner}' is not an organizer unit of the directory."));
        if (draft.Title.Length > 0 && draft.Answer.Length > 0 && KnowledgeTokenizer.ForDocument(draft.Title + draft.Answer).Count == 0)
            errors.Add(new("title", "Nothing in the title or answer can be searched for."));
        return errors;
    }

    private static void Text(List<KnowledgeFieldError> errors, string field, string value, int max)
    {
        if (value.Length == 0) errors.Add(new(field, "Required."));
        else if (value.Length > max) errors.Add(new(field, $"At most {max} characters."));
    }

    private static void List(List<KnowledgeFieldError> errors, string field, IReadOnlyList<string> values, int maxItems, int maxLength)
    {
        if (values.Count > maxItems) errors.Add(new(field, $"At most {maxItems} entries."));
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Length == 0) errors.Add(new($"{field}[{i}]", "Must not be empty."));
            else if (values[i].Length > maxLength) errors.Add(new($"{field}[{i}]", $"At most {maxLength} characters."));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CategoryPattern();
}
