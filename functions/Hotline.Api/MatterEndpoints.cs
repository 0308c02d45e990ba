using System.Globalization;
using System.Text.RegularExpressions;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// The matter API: channel systems post matters and evaluations and follow progress; staff read, list and decide.
/// Each handler is a public static method over <see cref="HttpContext"/> so the Azure Functions host calls it as is.
/// </summary>
public static partial class MatterEndpoints
{
    private static readonly KeyRole[] Channel = [KeyRole.Channel];
    private static readonly KeyRole[] Staff = [KeyRole.Staff];
    private static readonly KeyRole[] ChannelOrStaff = [KeyRole.Channel, KeyRole.Staff];

    public static RouteGroupBuilder MapMatterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("matters");
        api.MapPost("/matters", Handler(PostMatter)).WithName("postMatter")
            .WithSummary("Report a matter (channel key). The same channel system and channelRef again returns the same matter with 200; " +
                "the same channelRef with a different report is a 409 (intake.different-report) that carries no matter data.")
            .Accepts<MatterBody>("application/json").Produces<MatterView>(StatusCodes.Status201Created).Produces<MatterView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/matters/{id}", GetMatter).WithName("getMatter")
            .WithSummary("The whole matter (staff key). Citizen data are masked unless ?reveal=citizen, which is audited.")
            .Produces<MatterView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/matters", Handler(ListMatters)).WithName("listMatters")
            .WithSummary("Matters by status, organizer, overdue and period of receipt, paged (staff key).")
            .Produces<MatterPage>().ProducesValidationProblem();
        api.MapGet("/matters/{id}/progress", GetProgress).WithName("getProgress")
            .WithSummary("What the citizen may know of the matter (channel key); the phone must be the citizen's (Weifang 13).")
            .Produces<ProgressView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/matters/{id}/evaluation", Evaluate).WithName("evaluate")
            .WithSummary("The citizen's evaluation of the accepted reply (channel key, or staff recording a return visit).")
            .Accepts<EvaluationBody>("application/json").Produces<MatterView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        foreach (var decision in Decisions)
        {
            decision.Map(api);
        }
        api.MapPost("/matters/{id}/merge", (HttpContext http, string id) => Merge(http, id)).WithName("merge")
            .WithSummary("Merge this matter into another that reports the same thing (staff key); it closes as merged and keeps its history.")
            .Accepts<MergeBody>("application/json").Produces<MatterView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/profile", (Func<HttpContext, IResult>)GetProfile).WithName("getProfile").WithTags("reference")
            .WithSummary("The regulation profile in force: time limits, non-acceptance reason codes with guidance, and the article behind each rule.")
            .Produces<RegulationProfile>();
        api.MapGet("/effects/poison", Handler(GetPoison)).WithName("listPoisonedEffects").WithTags("operations")
            .WithSummary("Effects (SMS, alarms, index updates) that failed every retry (staff key).").Produces<IReadOnlyList<PoisonedEffect>>();
        return api;
    }

    public static async Task<IResult> PostMatter(HttpContext http)
    {
        var (caller, denied) = Access.Authorize(http, Channel);
        if (denied is not null) return denied;
        var (body, problem) = await JsonBody.ReadAsync<MatterBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var (intake, errors) = IntakeMapping.ToIntake(body!, now);
        if (errors.Any) return errors.ToProblem();

        var outcome = await http.RequestServices.GetRequiredService<IntakeService>().SubmitAsync(caller!.Actor, intake!, http.RequestAborted).ConfigureAwait(false);
        if (!outcome.Outcome.Accepted) return Problems.Refused(outcome.Outcome.Refusal!);
        var view = MatterViews.Full(outcome.Outcome.State!, revealCitizen: false);
        return outcome.Created ? Results.Created($"/api/matters/{view.Id}", view) : Results.Ok(view);
    }

    public static async Task<IResult> GetMatter(HttpContext http, string id)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var reveal = string.Equals(http.Request.Query["reveal"], "citizen", StringComparison.Ordinal);
        var stored = ValidId(id) ? await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(id, http.RequestAborted).ConfigureAwait(false) : null;
        if (stored is null) return Problems.NotFound($"There is no matter {id}.");
        if (reveal)
        {
            // The record comes first: if it cannot be written, nothing is disclosed.
            await http.RequestServices.GetRequiredService<DisclosureAudit>().RecordAsync(id, caller!.Name, "citizen", http.RequestAborted).ConfigureAwait(false);
            SecurityHeaders.Personal(http.Response);
        }
        return Results.Ok(MatterViews.Full(stored.State, reveal));
    }

    public static async Task<IResult> ListMatters(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var q = http.Request.Query;
        var errors = new FieldErrors();
        var status = errors.QueryEnum<MatterStatus>("status", q["status"]);
        bool? overdue = null;
        if (q["overdue"].ToString() is { Length: > 0 } o)
        {
            if (bool.TryParse(o, out var b)) overdue = b; else errors.Add("overdue", "true or false.");
        }
        var from = QueryPeriod.From(errors, "from", q["from"]);
        var to = QueryPeriod.To(errors, "to", q["to"]);
        var (pageSize, token) = errors.Paging(q);
        if (errors.Any) return errors.ToProblem();

        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var page = await http.RequestServices.GetRequiredService<MatterIndex>()
            .QueryAsync(new MatterQuery(status, NullIfEmpty(q["organizer"]), overdue, from, to, pageSize, token), now, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(page);
    }

    public static async Task<IResult> GetProgress(HttpContext http, string id)
    {
        var (_, denied) = Access.Authorize(http, Channel);
        if (denied is not null) return denied;
        var phone = http.Request.Query["phone"].ToString();
        if (phone.Length == 0) return Problems.Invalid("phone", "The citizen's phone number is required.");
        var stored = ValidId(id) ? await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(id, http.RequestAborted).ConfigureAwait(false) : null;
        // A wrong phone looks exactly like a missing matter: nobody learns that a matter exists by guessing numbers.
        if (stored is null || Digits(stored.State.Intake.Citizen.Phone) is not { Length: > 0 } digits || digits != Digits(phone)) return Problems.NotFound($"There is no matter {id} for this phone number.");
        var language = http.Request.Query["lang"].ToString() is { Length: > 0 } lang ? lang : "zh";
        return Results.Ok(MatterViews.Progress(stored.State, http.RequestServices.GetRequiredService<RegulationProfile>(), language));
    }

    public static Task<IResult> Evaluate(HttpContext http, string id) =>
        Execute<EvaluationBody>(http, id, ChannelOrStaff, (b, c, e) =>
            e.Enum("result", b.Result) is { } result ? new EvaluateMatter(c.Actor, result, e.Optional("comment", b.Comment, 2000)) : null);

    public static async Task<IResult> Merge(HttpContext http, string id)
    {
        var (_, denied) = Access.Authorize(http, Staff, StaffRoles.Dispatcher);
        if (denied is not null) return denied;
        if (!ValidId(id)) return Problems.NotFound($"There is no matter {id}.");
        // Peek at the body for the target before the common path reads it: the target must exist and be open.
        http.Request.EnableBuffering();
        var (peek, problem) = await JsonBody.ReadAsync<MergeBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        http.Request.Body.Position = 0;
        if (peek!.Into is { } into)
        {
            var target = ValidId(into) ? await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(into, http.RequestAborted).ConfigureAwait(false) : null;
            if (target is null) return Problems.Invalid("into", $"There is no matter {into}.");
            if (target.State.Status == MatterStatus.Merged) return Problems.Invalid("into", $"Matter {into} was itself merged into {target.State.MergedInto}; merge into that one.");
        }
        return await Execute<MergeBody>(http, id, Staff, (b, c, e) =>
            e.Required("into", b.Into, 40) is { } target ? new MergeInto(c.Actor, target, e.Optional("note", b.Note, 2000)) : null, need: StaffRoles.Dispatcher).ConfigureAwait(false);
    }

    public static IResult GetProfile(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, ChannelOrStaff);
        return denied ?? Results.Ok(http.RequestServices.GetRequiredService<RegulationProfile>());
    }

    public static async Task<IResult> GetPoison(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        return Results.Ok(await http.RequestServices.GetRequiredService<PoisonList>().ListAsync(cancellationToken: http.RequestAborted).ConfigureAwait(false));
    }

    /// <summary>Maps a handler as a delegate whose result is executed (a plain HttpContext method would bind as a RequestDelegate).</summary>
    public static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    /// <summary>A staff decision: its route, the app role it needs, how it is documented, and its handler.</summary>
    public sealed record DecisionSpec(string Path, StaffRoles Role, Func<HttpContext, string, Task<IResult>> Handler, Action<RouteGroupBuilder> Map);

    /// <summary>Every staff decision on a matter, as data: both hosts map these same handlers.</summary>
    public static readonly IReadOnlyList<DecisionSpec> Decisions =
    [
        Spec<DispatchBody>("dispatch", StaffRoles.Dispatcher, "Dispatch to a lead organizer and co-organizers (staff key).", (b, c, e) =>
            e.Required("organizer", b.Organizer, 64) is { } organizer
                && WorkingDays(e, "statutoryLimitWorkingDays", b.StatutoryLimitWorkingDays, 0)
                ? new DispatchMatter(c.Actor, organizer, b.CoOrganizers ?? [], b.Designated ?? false, b.StatutoryLimitWorkingDays)
                : null),
        Spec<RejectionBody>("rejection", StaffRoles.Dispatcher, "Reject as inadmissible with a reason code of the profile (GET /api/profile lists them).", (b, c, e) =>
            e.Required("reasonCode", b.ReasonCode, 64) is { } code ? new RejectMatter(c.Actor, code, e.Optional("note", b.Note, 2000)) : null),
        Spec<AnswerBody>("answer", StaffRoles.Dispatcher, "Answer a consultation on the spot, from the knowledge base; an articleId must name a current article (404 if none).", (b, c, e) =>
            e.Required("answer", b.Answer, 4000) is { } answer ? new AnswerOnTheSpot(c.Actor, answer, e.Optional("articleId", b.ArticleId, 64)) : null,
            (http, b) => KnowledgeEndpoints.CheckCitedArticleAsync(http, b.ArticleId)),
        Spec<ReturnDecisionBody>("return-decision", StaffRoles.Dispatcher, "Approve (optionally reassigning) or refuse an organizer's return.", (b, c, e) =>
            Approval(e, "approve", b.Approve) is { } approve
                ? new DecideReturn(c.Actor, approve, e.Optional("note", b.Note, 2000), e.Optional("reassignTo", b.ReassignTo, 64), b.CoOrganizers, b.Designated ?? false)
                : null),
        Spec<DecisionBody>("extension-decision", StaffRoles.Reviewer, "Approve or refuse the pending extension application.", (b, c, e) =>
            Approval(e, "approve", b.Approve) is { } approve ? new DecideExtension(c.Actor, approve, e.Optional("note", b.Note, 2000)) : null),
        Spec<ReviewBody>("reply-review", StaffRoles.Reviewer, "Accept the organizer's reply or send it back.", (b, c, e) =>
            Approval(e, "accept", b.Accept) is { } accept ? new ReviewReply(c.Actor, accept, e.Optional("note", b.Note, 2000)) : null),
        Spec<VerificationBody>("evaluation-verification", StaffRoles.Reviewer,
            "Verify an unsatisfied evaluation (Fujian 22): organizerResponsible true sends the matter back to be handled again; false closes it.", (b, c, e) =>
            {
                if (b.OrganizerResponsible is null) e.Add("organizerResponsible", "Required: true or false.");
                return e.Required("note", b.Note, 2000) is { } note && b.OrganizerResponsible is { } responsible ? new VerifyEvaluation(c.Actor, responsible, note) : null;
            }),
        Spec<DecisionBody>("termination-decision", StaffRoles.Supervisor, "Approve or refuse the pending termination application (Weifang 21).", (b, c, e) =>
            Approval(e, "approve", b.Approve) is { } approve ? new DecideTermination(c.Actor, approve, e.Optional("note", b.Note, 2000)) : null),
        Spec<NoteBody>("supervision", StaffRoles.Supervisor, "Put the matter under supervision (staff decision).", (b, c, e) =>
            e.Required("note", b.Note, 2000) is { } note ? new PutUnderSupervision(c.Actor, note) : null),
        Spec<ReasonBody>("supervision/lift", StaffRoles.Supervisor, "Lift supervision, saying why.", (b, c, e) =>
            e.Required("reason", b.Reason, 2000) is { } reason ? new LiftSupervision(c.Actor, reason) : null)
    ];

    /// <summary>Runs the staff decision at <c>POST /api/matters/{id}/{path}</c>; the Azure Functions host calls it by path.</summary>
    public static Task<IResult> Decide(HttpContext http, string id, string path) =>
        Decisions.FirstOrDefault(d => d.Path == path) is { } decision ? decision.Handler(http, id) : Task.FromResult(Problems.NotFound($"No decision {path}."));

    private static DecisionSpec Spec<TBody>(string path, StaffRoles role, string summary, Func<TBody, Caller, FieldErrors, MatterCommand?> build,
        Func<HttpContext, TBody, Task<IResult?>>? check = null)
        where TBody : class =>
        new(path, role, (http, id) => Execute(http, id, Staff, build, check, role), api => MapDecisionRoute<TBody>(api, path, summary));

    private static void MapDecisionRoute<TBody>(RouteGroupBuilder api, string path, string summary) where TBody : class =>
        api.MapPost("/matters/{id}/" + path, (HttpContext http, string id) => Decide(http, id, path))
            .WithName(string.Concat(path.Split('-', '/').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])))
            .WithSummary(summary).Accepts<TBody>("application/json").Produces<MatterView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Reads a command's body, applies it through the one write path, and answers with the matter or a problem.
    /// <paramref name="check"/> looks outside the matter (e.g. at a cited article) before anything is written.
    /// </summary>
    public static async Task<IResult> Execute<TBody>(HttpContext http, string id, KeyRole[] roles, Func<TBody, Caller, FieldErrors, MatterCommand?> build,
        Func<HttpContext, TBody, Task<IResult?>>? check = null, StaffRoles need = StaffRoles.None)
        where TBody : class
    {
        var (caller, denied) = Access.Authorize(http, roles, need);
        if (denied is not null) return denied;
        if (!ValidId(id)) return Problems.NotFound($"There is no matter {id}.");
        var (body, problem) = await JsonBody.ReadAsync<TBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        var command = build(body!, caller!, errors);
        if (errors.Any || command is null) return errors.ToProblem();
        if (check is not null && await check(http, body!).ConfigureAwait(false) is { } refused) return refused;
        var outcome = await http.RequestServices.GetRequiredService<MatterService>().ExecuteAsync(id, command, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        return outcome.Accepted ? Results.Ok(MatterViews.Full(outcome.State!, revealCitizen: false)) : Problems.Refused(outcome.Refusal!);
    }

    /// <summary>An optional number of working days within the limits every profile allows; false (and the field named) when outside.</summary>
    public static bool WorkingDays(FieldErrors errors, string field, int? value, int min)
    {
        if (value is null || (value >= min && value <= RegulationProfile.MaxWorkingDays)) return true;
        errors.Add(field, $"Whole working days from {min} to {RegulationProfile.MaxWorkingDays}.");
        return false;
    }

    private static bool? Approval(FieldErrors errors, string field, bool? value)
    {
        if (value is null) errors.Add(field, "Required: true or false.");
        return value;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public static bool ValidId(string id) => MatterIdPattern().IsMatch(id);

    private static string Digits(string phone) => new(phone.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex("^[0-9A-Z]{8,40}$")]
    private static partial Regex MatterIdPattern();
}
