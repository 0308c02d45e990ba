using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Knowledge;
using Hotline.Runtime.Organizers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// What an organizer unit proposes: a new article (no <see cref="ArticleId"/>), or a new content for one of its own
/// articles, written from the <see cref="Version"/> it read. Every member is nullable so a missing field is named.
/// </summary>
public sealed record KnowledgeProposalBody(
    string? ArticleId,
    int? Version,
    string? Title,
    IReadOnlyList<string?>? Questions,
    IReadOnlyList<string?>? Keywords,
    string? Answer,
    string? AnswerEn,
    string? Category,
    string? Note);

/// <param name="Reason">Required to refuse: the unit reads it on its page.</param>
public sealed record ProposalDecisionBody(bool? Approve, string? Reason);

/// <summary>A proposal with the article it would change as that article is now, so the reviewer sees both.</summary>
public sealed record KnowledgeProposalView(KnowledgeProposal Proposal, KnowledgeArticle? Current);

public sealed record KnowledgeProposalList(IReadOnlyList<KnowledgeProposalView> Items, string? ContinuationToken);

/// <summary>The unit's own articles (what it may propose to update) and its proposals, newest first.</summary>
public sealed record OrganizerKnowledgeView(string Organizer, IReadOnlyList<KnowledgeArticle> Articles, IReadOnlyList<KnowledgeProposal> Proposals);

/// <summary>
/// Organizers keep the knowledge base current (Weifang 9(2), 31(2); Fujian 11(3)) through the platform's review:
/// a unit proposes through its SMS link, staff (reviewer) approve, publishing it, or refuse with a reason. Approval
/// publishes as the unit, so the knowledge base's own rule (a unit keeps only its own articles) holds again then.
/// </summary>
public static class KnowledgeProposalEndpoints
{
    public const string Decided = "proposal.decided";
    public const string ArticleChanged = "proposal.article-changed";
    private const int PageSize = 20;
    private const int MaxOwnArticles = 50;
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    public static IEndpointRouteBuilder MapKnowledgeProposalApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/o/{token}/knowledge-proposals", (HttpContext http, string token) => OrganizerList(http, token)).WithTags("organizer")
            .WithName("organizerKnowledgeProposals")
            .WithSummary("The unit's own knowledge articles and its proposals, newest first (Weifang 9(2), 31(2); Fujian 11(3)).")
            .Produces<OrganizerKnowledgeView>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/o/{token}/knowledge-proposals", (HttpContext http, string token) => Propose(http, token)).WithTags("organizer")
            .WithName("proposeKnowledge")
            .WithSummary("Propose a new article for the unit, or an update of one of its own articles from the version read; the platform reviews it before publication.")
            .Accepts<KnowledgeProposalBody>("application/json").Produces<KnowledgeProposal>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/api/knowledge-proposals", MatterEndpoints.Handler(List)).WithTags("knowledge").WithName("listKnowledgeProposals")
            .WithSummary("The proposals waiting for review, oldest first, each with the article it would change as it is now (staff, reviewer).")
            .Produces<KnowledgeProposalList>().ProducesValidationProblem();
        app.MapPost("/api/knowledge-proposals/{id}/decision", (HttpContext http, string id) => Decide(http, id)).WithTags("knowledge")
            .WithName("decideKnowledgeProposal")
            .WithSummary("Approve (publishing it) or refuse with a reason (staff, reviewer). An update whose article changed since it was proposed is refused: 409 proposal.article-changed.")
            .Accepts<ProposalDecisionBody>("application/json").Produces<KnowledgeProposal>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<IResult> OrganizerList(HttpContext http, string token)
    {
        var (unit, denied) = await OrganizerEndpoints.UnitOfLinkAsync(http, token).ConfigureAwait(false);
        if (denied is not null) return denied;
        var knowledge = http.RequestServices.GetRequiredService<KnowledgeBase>();
        // The index is held in memory: picking the unit's articles from it reads no storage.
        var own = (await knowledge.ListAsync(take: int.MaxValue, cancellationToken: http.RequestAborted).ConfigureAwait(false)).Items
            .Where(a => a.Owner == unit).Take(MaxOwnArticles).ToArray();
        var articles = new List<KnowledgeArticle>();
        foreach (var hit in own)
        {
            if (await knowledge.GetAsync(hit.Id, http.RequestAborted).ConfigureAwait(false) is { } article) articles.Add(article);
        }
        var proposals = await http.RequestServices.GetRequiredService<KnowledgeProposals>().OfUnitAsync(unit!, PageSize, null, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new OrganizerKnowledgeView(unit!, articles, proposals.Items));
    }

    public static async Task<IResult> Propose(HttpContext http, string token)
    {
        var (unit, denied) = await OrganizerEndpoints.UnitOfLinkAsync(http, token).ConfigureAwait(false);
        if (denied is not null) return denied;
        var (body, problem) = await JsonBody.ReadAsync<KnowledgeProposalBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        var note = errors.Optional("note", body!.Note, 2000);
        var articleId = string.IsNullOrWhiteSpace(body.ArticleId) ? null : body.ArticleId.Trim();
        if (articleId is not null && !KnowledgeRules.ValidId(articleId)) errors.Add("articleId", "An article id, e.g. kb-water-outage.");
        if (articleId is not null && body.Version is not >= 1) errors.Add("version", "Required with articleId: the version of the article you read (a whole number from 1).");
        if (articleId is null && body.Version is not null) errors.Add("version", "Only with articleId: a new article has no version yet.");
        // The unit writes for itself: the article is its own, whatever the body would say.
        var draft = KnowledgeRules.Normalize(new KnowledgeDraft(body.Title ?? "", (body.Questions ?? []).Select(q => q ?? "").ToArray(),
            (body.Keywords ?? []).Select(k => k ?? "").ToArray(), body.Answer ?? "", body.AnswerEn, body.Category ?? "", unit));
        foreach (var e in KnowledgeRules.Validate(draft, http.RequestServices.GetRequiredService<DirectoryStore>().Directory)) errors.Add(e.Field, e.Message);
        if (errors.Any) return errors.ToProblem();

        if (articleId is not null)
        {
            var current = await http.RequestServices.GetRequiredService<KnowledgeBase>().GetAsync(articleId, http.RequestAborted).ConfigureAwait(false);
            if (current is null) return Problems.NotFound($"There is no knowledge article {articleId}.");
            if (current.Owner != unit) return Problems.Forbidden($"Article {articleId} is kept by {current.Owner ?? "platform staff"}; a unit proposes changes to its own articles only.");
            if (current.Retired) return Conflict("knowledge.retired", "The article is retired.", $"Article {articleId} is retired; propose a new article instead.");
            if (current.Version != body.Version)
            {
                return Conflict("knowledge.stale-version", "The article changed since you read it.",
                    $"Article {articleId} is at version {current.Version}, not {body.Version}; read it again.", current.Version);
            }
        }
        var proposal = await http.RequestServices.GetRequiredService<KnowledgeProposals>()
            .ProposeAsync(unit!, articleId, articleId is null ? null : body.Version, draft, note, http.RequestAborted).ConfigureAwait(false);
        return Results.Created((string?)null, proposal);
    }

    public static async Task<IResult> List(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff, StaffRoles.Reviewer);
        if (denied is not null) return denied;
        var errors = new FieldErrors();
        var (pageSize, token) = errors.Paging(http.Request.Query);
        if (errors.Any) return errors.ToProblem();
        var page = await http.RequestServices.GetRequiredService<KnowledgeProposals>().PendingAsync(pageSize, token, http.RequestAborted).ConfigureAwait(false);
        var knowledge = http.RequestServices.GetRequiredService<KnowledgeBase>();
        var items = new List<KnowledgeProposalView>();
        foreach (var p in page.Items)
        {
            items.Add(new(p, p.ArticleId is { } id ? await knowledge.GetAsync(id, http.RequestAborted).ConfigureAwait(false) : null));
        }
        return Results.Ok(new KnowledgeProposalList(items, page.ContinuationToken));
    }

    public static async Task<IResult> Decide(HttpContext http, string id)
    {
        var (caller, denied) = Access.Authorize(http, Staff, StaffRoles.Reviewer);
        if (denied is not null) return denied;
        var proposals = http.RequestServices.GetRequiredService<KnowledgeProposals>();
        var found = await proposals.GetAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (found is not { } stored) return Problems.NotFound($"There is no knowledge proposal {id}.");
        var (body, problem) = await JsonBody.ReadAsync<ProposalDecisionBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        if (body!.Approve is null) errors.Add("approve", "Required: true or false.");
        var reason = body.Approve == false ? errors.Required("reason", body.Reason, 2000) : errors.Optional("reason", body.Reason, 2000);
        if (errors.Any) return errors.ToProblem();

        var (proposal, etag) = stored;
        if (proposal.Status != ProposalStatus.Pending) return AlreadyDecided(proposal);
        KnowledgeArticle? published = null;
        if (body.Approve == true)
        {
            var knowledge = http.RequestServices.GetRequiredService<KnowledgeBase>();
            var author = Actor.Organizer(proposal.Organizer);
            var outcome = proposal.ArticleId is { } articleId
                ? await knowledge.UpdateAsync(articleId, proposal.BaseVersion ?? 0, proposal.Draft, author, http.RequestAborted).ConfigureAwait(false)
                : await knowledge.CreateAsync(proposal.Draft, author, proposal.NewArticleId, http.RequestAborted).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                // Someone may have approved it a moment ago (its new article then exists): say that rather than "changed".
                if (await proposals.GetAsync(id, http.RequestAborted).ConfigureAwait(false) is { Proposal.Status: not ProposalStatus.Pending } now) return AlreadyDecided(now.Proposal);
                return outcome.Failure == KnowledgeFailure.Invalid
                    ? Problems.Invalid(outcome.Errors!.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal))
                    : Conflict(ArticleChanged, "The article changed since the proposal was made.",
                        $"{outcome.Message} The proposal was written from version {proposal.BaseVersion}; refuse it with a reason so the unit proposes again from the current article.",
                        outcome.Article?.Version);
            }
            published = outcome.Article;
        }
        var decided = await proposals.DecideAsync(proposal, etag, body.Approve == true, KnowledgeBase.EditorName(caller!.Actor), reason, published, http.RequestAborted).ConfigureAwait(false);
        if (decided is null)
        {
            var now = await proposals.GetAsync(id, http.RequestAborted).ConfigureAwait(false);
            return AlreadyDecided(now?.Proposal ?? proposal);
        }
        return Results.Ok(decided);
    }

    private static IResult AlreadyDecided(KnowledgeProposal p) =>
        Conflict(Decided, "The proposal was decided already.", $"Proposal {p.Id} was {p.Status.ToString().ToLowerInvariant()} by {p.DecidedBy} at {p.DecidedAt:yyyy-MM-dd HH:mm}.");

    private static IResult Conflict(string code, string title, string detail, int? currentVersion = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (currentVersion is { } v) extensions["currentVersion"] = v;
        return Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict, type: Problems.TypeBase + code, extensions: extensions);
    }
}
