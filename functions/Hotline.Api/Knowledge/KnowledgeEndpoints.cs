using System.Globalization;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;
using Hotline.Runtime.Knowledge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// The knowledge base API for platform staff: search and read answers, keep them current, and get suggestions for a
/// consultation so the agent can answer it on the spot (Weifang 18, 31; Fujian 14). Organizer units will keep their
/// own articles through their links; <see cref="KnowledgeBase"/> already enforces what they may touch.
/// </summary>
public static class KnowledgeEndpoints
{
    public const int MaxQuery = 200;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;
    public const int DefaultSuggestions = 5;
    private const int MaxSkip = 10_000;

    // Long enough for any consultation's title and gist; the rest of a long description adds noise, not signal.
    private const int MaxMatterQuery = 1000;

    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    public static RouteGroupBuilder MapKnowledgeApi(this IEndpointRouteBuilder app)
    {
        // Per-key budgets are taken in Access.Authorize, so both hosts enforce them the same way.
        var api = app.MapGroup("/api").WithTags("knowledge");
        // The query parameters are declared only so the OpenAPI document lists them; the handlers read and validate
        // them themselves, so a bad value is a problem naming it rather than a bare 400 from binding.
        api.MapGet("/knowledge", (HttpContext http, string? q, string? category, string? pageSize, string? skip, string? includeRetired) => SearchKnowledge(http))
            .WithName("searchKnowledge")
            .WithSummary("Search the knowledge base (staff key): q in Chinese or other words, best first with a score and a snippet; without q, list by last update. Retired articles are never found by search; list them with includeRetired=true.")
            .Produces<KnowledgePage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/knowledge/{id}", (HttpContext http, string id) => GetArticle(http, id)).WithName("getKnowledgeArticle")
            .WithSummary("One article (staff key), retired ones too, so an answer given from it can be traced. The ETag header is its version.")
            .Produces<KnowledgeArticle>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/knowledge", MatterEndpoints.Handler(CreateArticle)).WithName("createKnowledgeArticle")
            .WithSummary("Write a new article (staff key). It starts at version 1.")
            .Accepts<KnowledgeArticleBody>("application/json").Produces<KnowledgeArticle>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPut("/knowledge/{id}", (HttpContext http, string id) => UpdateArticle(http, id)).WithName("updateKnowledgeArticle")
            .WithSummary("Replace an article's content (staff key), naming the version read in If-Match (a stale one: 412) or in the body's version (a stale one: 409).")
            .Accepts<KnowledgeArticleBody>("application/json").Produces<KnowledgeArticle>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapDelete("/knowledge/{id}", (HttpContext http, string id) => RetireArticle(http, id)).WithName("retireKnowledgeArticle")
            .WithSummary("Retire an article (staff key): search stops finding it, GET still shows it. Optional If-Match guards against retiring a version you have not seen.")
            .Produces<KnowledgeArticle>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapGet("/matters/{id}/knowledge", (HttpContext http, string id, string? pageSize) => SuggestForMatter(http, id)).WithName("suggestKnowledge")
            .WithSummary("The articles that best answer a matter's title and description (staff key), to answer a consultation on the spot with POST /api/matters/{id}/answer {answer, articleId}.")
            .Produces<MatterKnowledgeView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<IResult> SearchKnowledge(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var query = http.Request.Query;
        var errors = new FieldErrors();
        var q = errors.Optional("q", NullIfEmpty(query["q"]), MaxQuery);
        if (q is not null && KnowledgeQuery.Parse(q).IsEmpty) errors.Add("q", "Nothing to search for: give Chinese characters, letters or digits.");
        var category = NullIfEmpty(query["category"]);
        if (category is not null && !KnowledgeRules.ValidCategory(category)) errors.Add("category", "Lowercase letters, digits and dashes, e.g. water-supply.");
        var pageSize = Whole(errors, "pageSize", query["pageSize"], DefaultPageSize, 1, MaxPageSize);
        var skip = Whole(errors, "skip", query["skip"], 0, 0, MaxSkip);
        var includeRetired = false;
        if (NullIfEmpty(query["includeRetired"]) is { } retired)
        {
            if (!bool.TryParse(retired, out includeRetired)) errors.Add("includeRetired", "true or false.");
            else if (includeRetired && q is not null) errors.Add("includeRetired", "Search never returns retired articles; list without q to see them.");
        }
        if (errors.Any) return errors.ToProblem();

        var knowledge = http.RequestServices.GetRequiredService<KnowledgeBase>();
        var page = q is null
            ? await knowledge.ListAsync(category, includeRetired, skip, pageSize, http.RequestAborted).ConfigureAwait(false)
            : await knowledge.SearchAsync(q, category, skip, pageSize, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(page);
    }

    public static async Task<IResult> GetArticle(HttpContext http, string id)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var article = await http.RequestServices.GetRequiredService<KnowledgeBase>().GetAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (article is null) return Problems.NotFound($"There is no knowledge article {id}.");
        return WithETag(http, article, Results.Ok(article));
    }

    public static async Task<IResult> CreateArticle(HttpContext http)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var (body, problem) = await JsonBody.ReadAsync<KnowledgeArticleBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var outcome = await http.RequestServices.GetRequiredService<KnowledgeBase>()
            .CreateAsync(body!.ToDraft(), caller!.Actor, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded
            ? WithETag(http, outcome.Article!, Results.Created($"/api/knowledge/{outcome.Article!.Id}", outcome.Article))
            : Failed(outcome, VersionSource.None);
    }

    public static async Task<IResult> UpdateArticle(HttpContext http, string id)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var (body, problem) = await JsonBody.ReadAsync<KnowledgeArticleBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        var fromHeader = IfMatch(http, errors);
        if (body!.Version is { } v && v < 1) errors.Add("version", "A version is a whole number from 1.");
        if (fromHeader is { } h && body.Version is { } b && h != b) errors.Add("version", $"If-Match says version {h} but the body says {b}; send one.");
        if (fromHeader is null && body.Version is null && !errors.Any) errors.Add("version", "Required: the version you read, in the If-Match header or the body, so nobody's change is overwritten unseen.");
        if (errors.Any) return errors.ToProblem();

        var outcome = await http.RequestServices.GetRequiredService<KnowledgeBase>()
            .UpdateAsync(id, (fromHeader ?? body.Version)!.Value, body.ToDraft(), caller!.Actor, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded
            ? WithETag(http, outcome.Article!, Results.Ok(outcome.Article))
            : Failed(outcome, fromHeader is not null ? VersionSource.Header : VersionSource.Body);
    }

    public static async Task<IResult> RetireArticle(HttpContext http, string id)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var errors = new FieldErrors();
        var expected = IfMatch(http, errors);
        if (errors.Any) return errors.ToProblem();
        var outcome = await http.RequestServices.GetRequiredService<KnowledgeBase>()
            .RetireAsync(id, expected, caller!.Actor, http.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? WithETag(http, outcome.Article!, Results.Ok(outcome.Article)) : Failed(outcome, VersionSource.Header);
    }

    public static async Task<IResult> SuggestForMatter(HttpContext http, string id)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var errors = new FieldErrors();
        var pageSize = Whole(errors, "pageSize", http.Request.Query["pageSize"], DefaultSuggestions, 1, MaxPageSize);
        if (errors.Any) return errors.ToProblem();
        var stored = MatterEndpoints.ValidId(id)
            ? await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(id, http.RequestAborted).ConfigureAwait(false)
            : null;
        if (stored is null) return Problems.NotFound($"There is no matter {id}.");
        var intake = stored.State.Intake;
        var text = intake.Title + "\n" + intake.Description;
        if (text.Length > MaxMatterQuery) text = text[..MaxMatterQuery];
        var page = await http.RequestServices.GetRequiredService<KnowledgeBase>().SearchAsync(text, take: pageSize, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        var answerable = intake.Type == MatterType.Consultation && stored.State.Status == MatterStatus.AwaitingDispatch;
        return Results.Ok(new MatterKnowledgeView(id, answerable, page.Items));
    }

    /// <summary>
    /// For the on-the-spot answer: an answer that cites an article must cite one that exists and is current, or the
    /// trace from the answer to its source is broken from the start. Null when there is nothing to object to.
    /// </summary>
    public static async Task<IResult?> CheckCitedArticleAsync(HttpContext http, string? articleId)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(articleId)) return null;
        var id = articleId.Trim();
        var article = await http.RequestServices.GetRequiredService<KnowledgeBase>().GetAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (article is null)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["articleId"] = [$"There is no knowledge article {id}."] },
                detail: $"articleId: there is no knowledge article {id}.", statusCode: StatusCodes.Status404NotFound,
                title: "The cited knowledge article does not exist.", type: Problems.TypeBase + "not-found");
        }
        if (article.Retired)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["articleId"] = [$"Article {id} is retired; cite a current one."] },
                detail: $"articleId: article {id} is retired.", statusCode: StatusCodes.Status409Conflict,
                title: "The cited knowledge article is retired.", type: Problems.TypeBase + "knowledge.retired",
                extensions: new Dictionary<string, object?> { ["code"] = "knowledge.retired" });
        }
        return null;
    }

    private enum VersionSource { None, Header, Body }

    private static IResult Failed(KnowledgeOutcome outcome, VersionSource source) => outcome.Failure switch
    {
        KnowledgeFailure.Invalid => Problems.Invalid(outcome.Errors!.GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal)),
        KnowledgeFailure.NotFound => Problems.NotFound(outcome.Message!),
        KnowledgeFailure.NotAllowed => Problems.Forbidden(outcome.Message!),
        KnowledgeFailure.Retired => Results.Problem(title: "The article is retired.", detail: outcome.Message, statusCode: StatusCodes.Status409Conflict,
            type: Problems.TypeBase + "knowledge.retired", extensions: new Dictionary<string, object?> { ["code"] = "knowledge.retired" }),
        KnowledgeFailure.StaleVersion => Results.ValidationProblem(
            new Dictionary<string, string[]> { [source == VersionSource.Body ? "version" : "If-Match"] = [$"Version {outcome.Article!.Version} is current."] },
            detail: outcome.Message, title: "The article changed since you read it.", type: Problems.TypeBase + "knowledge.stale-version",
            // If-Match is an HTTP precondition, so its failure is 412; a version in the body is a conflict with the stored state.
            statusCode: source == VersionSource.Body ? StatusCodes.Status409Conflict : StatusCodes.Status412PreconditionFailed,
            extensions: new Dictionary<string, object?> { ["code"] = "knowledge.stale-version", ["currentVersion"] = outcome.Article.Version }),
        _ => throw new InvalidOperationException($"Unexpected knowledge failure {outcome.Failure}."),
    };

    /// <summary>The version named by If-Match: "3" (or 3). A weak tag or "*" names no version and is refused.</summary>
    private static int? IfMatch(HttpContext http, FieldErrors errors)
    {
        var values = http.Request.Headers.IfMatch;
        if (values.Count == 0) return null;
        var text = values.Count == 1 ? values[0]!.Trim() : "";
        var bare = text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;
        if (int.TryParse(bare, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1) return version;
        errors.Add("If-Match", "One version as the ETag gave it, e.g. \"3\"; not a list, not a weak tag, not *.");
        return null;
    }

    private static IResult WithETag(HttpContext http, KnowledgeArticle article, IResult result)
    {
        http.Response.Headers.ETag = "\"" + article.Version.ToString(CultureInfo.InvariantCulture) + "\"";
        return result;
    }

    private static int Whole(FieldErrors errors, string field, string? text, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors.Add(field, $"A whole number from {min} to {max}.");
        return fallback;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
