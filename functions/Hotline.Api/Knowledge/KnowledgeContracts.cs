using Hotline.Runtime.Knowledge;

namespace Hotline.Api;

/// <summary>
/// An article as an editor sends it. Every member is nullable so a missing field is reported by name. On PUT,
/// <see cref="Version"/> is the version the editor read, unless the If-Match header carries it.
/// </summary>
public sealed record KnowledgeArticleBody(
    string? Title,
    IReadOnlyList<string?>? Questions,
    IReadOnlyList<string?>? Keywords,
    string? Answer,
    string? AnswerEn,
    string? Category,
    string? Owner,
    int? Version)
{
    public KnowledgeDraft ToDraft() => new(
        Title ?? "", (Questions ?? []).Select(q => q ?? "").ToArray(), (Keywords ?? []).Select(k => k ?? "").ToArray(),
        Answer ?? "", AnswerEn, Category ?? "", Owner);
}

/// <summary>
/// Articles that may answer a matter. <see cref="Answerable"/> says whether the matter can still be answered on the
/// spot (a consultation awaiting dispatch); suggestions are shown either way, as reference for the agent.
/// </summary>
public sealed record MatterKnowledgeView(string MatterId, bool Answerable, IReadOnlyList<KnowledgeHit> Suggestions);
