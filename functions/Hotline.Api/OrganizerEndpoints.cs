using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Evidence;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <param name="ReplyExplained">A reply "explained, not solvable now" would be taken (the contact with the citizen is recorded).</param>
/// <param name="Part">This unit, a co-organizer, may submit its part now.</param>
public sealed record OrganizerActions(bool Sign, bool Return, bool Contact, bool Extension, bool Reply, bool Termination, bool ReplyExplained = false, bool Part = false);

public sealed record ExtensionInfo(int MaxWorkingDays, int Remaining, ExtensionRecord? Pending);

public sealed record OrganizerView(
    string Id,
    MatterStatus Status,
    MatterType Type,
    Urgency Urgency,
    string Category,
    string Title,
    string Description,
    Location Location,
    CitizenView Citizen,
    string Organizer,
    Text? OrganizerName,
    IReadOnlyList<string> CoOrganizers,
    DateTimeOffset ReceivedAt,
    DateTimeOffset Now,
    DeadlinesView Deadlines,
    OrganizerActions Actions,
    ExtensionInfo Extension,
    bool PendingTermination,
    IReadOnlyList<ReplyView> Replies,
    IReadOnlyList<ProgressStep> Timeline,
    EvidenceLimits EvidenceLimits,
    bool Supervised,
    OrganizerLongTermView? LongTerm = null,
    OrganizerRole Role = OrganizerRole.Lead,
    IReadOnlyList<PartView>? Parts = null);

public sealed record EvidenceBody(string? FileName, string? ContentType, long? Bytes);

/// <param name="Kind">solved (the default) or explainedNotSolvable (Fujian 20(7); Weifang 20(3)).</param>
public sealed record OrganizerReplyBody(string? Text, IReadOnlyList<string>? Evidence, ReplyKind? Kind = null);

public sealed record ExtensionBody(int? WorkingDays, string? Reason);

/// <summary>
/// What an organizer does from the link in its SMS: the page (<c>GET /o/{token}</c>) and the JSON API behind it
/// (<c>/api/o/{token}/…</c>). The token is the credential: it grants one unit access to one matter while the matter
/// is with that unit and open. A wrong, expired or revoked link, or one for a matter that has moved on, gets the
/// same answer, so a guessed token teaches nothing.
/// </summary>
public static partial class OrganizerEndpoints
{
    public const string LinkInvalidCode = "link.invalid";

    public static IEndpointRouteBuilder MapOrganizerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/o/{token}", (Func<HttpContext, string, Task<IResult>>)Page).ExcludeFromDescription();
        app.MapGet("/assets/{file}", (Func<HttpContext, string, IResult>)Asset).ExcludeFromDescription();

        var api = app.MapGroup("/api/o/{token}").WithTags("organizer");
        api.MapGet("", (Func<HttpContext, string, Task<IResult>>)Get).WithName("organizerGetMatter")
            .WithSummary("The matter as this organizer may see it, with its deadlines, the server's clock and the actions allowed now.")
            .Produces<OrganizerView>().ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var action in Actions)
        {
            action.Map(api);
        }
        api.MapPost("/reply", (Func<HttpContext, string, Task<IResult>>)Reply).WithName("organizerReply")
            .WithSummary("Reply with text and the evidence blobs uploaded through /evidence; the server checks each blob's type and size. kind: solved (default) or " +
                         "explainedNotSolvable, which needs the contact with the citizen recorded first (409 reply.contact-required).")
            .Accepts<OrganizerReplyBody>("application/json").Produces<OrganizerView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/evidence", (Func<HttpContext, string, Task<IResult>>)GrantUpload).WithName("organizerEvidenceUpload")
            .WithSummary("A short-lived upload URL (SAS) for one photo or video; PUT the file there with the returned headers.")
            .Accepts<EvidenceBody>("application/json").Produces<UploadGrant>().ProducesValidationProblem();

        app.MapGet("/api/matters/{id}/evidence", (Func<HttpContext, string, Task<IResult>>)StaffEvidence).WithTags("matters").WithName("listEvidence")
            .WithSummary("Short-lived read links for the matter's evidence (staff key).").Produces<IReadOnlyList<EvidenceLink>>()
;
        return app;
    }

    /// <summary>Commands with no body accept an empty one.</summary>
    public sealed record OptionalBody;

    private sealed record Access(LinkGrant Grant, StoredMatter Stored, Actor Actor);

    /// <summary>
    /// A link is good while it is known, unexpired, unrevoked, and its matter is open and still with its unit.
    /// Otherwise the answer is the problem to send: the same for every kind of bad link, or 429 when the link's
    /// budget is spent (links carry no key, and one busy unit must not starve the others).
    /// </summary>
    private static async Task<(Access? Access, IResult? Denied)> ResolveAsync(HttpContext http, string token)
    {
        var limits = http.RequestServices.GetRequiredService<Security.RateLimits>();
        if (limits.Blocked(http) is { } blocked) return (null, blocked);
        if (limits.Take(http, "link:" + Security.ApiKeys.Hash(token)) is { } limited)
            return (null, limited);
        var grant = await http.RequestServices.GetRequiredService<OrganizerLinks>().ResolveAsync(token, http.RequestAborted).ConfigureAwait(false);
        // An unknown, expired or revoked token is a failed authentication: guessing links is budgeted per address like guessing keys.
        if (grant is null) return (null, limits.Failed(http) ?? LinkInvalid());
        var stored = await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(grant.MatterId, http.RequestAborted).ConfigureAwait(false);
        // A co-organizer's link works like the lead's while the unit is a co-organizer of the matter's current assignment.
        if (stored is null || stored.State.IsTerminal || (stored.State.Organizer != grant.Organizer && !stored.State.IsCoOrganizer(grant.Organizer)))
            return (null, LinkInvalid());
        return (new Access(grant, stored, Actor.Organizer(grant.Organizer)), null);
    }

    /// <summary>The unit a link speaks for while it is good, or the answer for a bad link (the same for every kind).</summary>
    public static async Task<(string? Organizer, IResult? Denied)> UnitOfLinkAsync(HttpContext http, string token)
    {
        var (access, denied) = await ResolveAsync(http, token).ConfigureAwait(false);
        return (access?.Grant.Organizer, denied);
    }

    private static IResult LinkInvalid() =>
        Results.Problem(title: "This link is no longer valid.", detail: "The link is wrong, expired or revoked, or the matter has left your unit or closed.",
            statusCode: StatusCodes.Status404NotFound, type: Problems.TypeBase + LinkInvalidCode, extensions: new Dictionary<string, object?> { ["code"] = LinkInvalidCode });

    public static async Task<IResult> Page(HttpContext http, string token)
    {
        // The token is in the address: never sent elsewhere (no-referrer), never framed, never cached.
        Security.SecurityHeaders.Page(http.Response);
        var (access, denied) = await ResolveAsync(http, token).ConfigureAwait(false);
        return access is not null ? PageFile("organizer.html", StatusCodes.Status200OK)
            : denied is IStatusCodeHttpResult { StatusCode: StatusCodes.Status429TooManyRequests } ? denied
            : PageFile("link-invalid.html", StatusCodes.Status404NotFound);
    }

    public static IResult Asset(HttpContext http, string file)
    {
        ArgumentNullException.ThrowIfNull(http);
        Security.SecurityHeaders.NoSniff(http.Response);
        return file.EndsWith(".html", StringComparison.OrdinalIgnoreCase) ? Results.NotFound() : PageFile(file, StatusCodes.Status200OK);
    }

    private static IResult PageFile(string name, int status)
    {
        using var stream = typeof(OrganizerEndpoints).Assembly.GetManifestResourceStream("Hotline.Pages." + name);
        if (stream is null) return Results.NotFound();
        using var reader = new StreamReader(stream);
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html",
            ".css" => "text/css",
            ".js" => "text/javascript",
            ".svg" => "image/svg+xml",
            _ => "text/plain",
        };
        return Results.Content(reader.ReadToEnd(), type, System.Text.Encoding.UTF8, status);
    }

    public static async Task<IResult> Get(HttpContext http, string token)
    {
        // The view holds the citizen's name and phone: no cache may keep it.
        Security.SecurityHeaders.Personal(http.Response);
        var (access, denied) = await ResolveAsync(http, token).ConfigureAwait(false);
        return access is null ? denied! : Results.Ok(await ViewAsync(http, access.Stored.State, access.Actor).ConfigureAwait(false));
    }

    /// <summary>An organizer action behind the link: its path, its handler, and how it is documented.</summary>
    public sealed record OrganizerAction(string Path, Func<HttpContext, string, Task<IResult>> Handler, Action<RouteGroupBuilder> Map);

    /// <summary>The organizer's simple actions, as data: both hosts map these same handlers (reply and evidence have their own).</summary>
    public static readonly IReadOnlyList<OrganizerAction> Actions =
    [
        ActionSpec("sign", "Sign the matter (within 2 working hours of assignment).", (OptionalBody _, Actor a, FieldErrors e) => new SignMatter(a)),
        ActionSpec("return", "Apply to return a matter outside the unit's duties, with reasons and basis (within 1 working day).",
            (ReasonBody b, Actor a, FieldErrors e) => e.Required("reason", b.Reason, 2000) is { } r ? new ApplyForReturn(a, r) : null),
        ActionSpec("contact", "Record contact with the citizen.",
            (NoteBody b, Actor a, FieldErrors e) => e.Required("note", b.Note, 2000) is { } n ? new RecordContact(a, n) : null),
        ActionSpec("extension", "Apply for an extension, no later than half a working day before the deadline.",
            (ExtensionBody b, Actor a, FieldErrors e) =>
            {
                if (b.WorkingDays is null) e.Add("workingDays", "Required: whole working days.");
                return e.Required("reason", b.Reason, 2000) is { } r && b.WorkingDays is { } d && MatterEndpoints.WorkingDays(e, "workingDays", d, 1)
                    ? new ApplyForExtension(a, d, r) : null;
            }),
        ActionSpec("termination", "Apply in writing to terminate (the citizen refuses to cooperate, or a legal channel applies).",
            (ReasonBody b, Actor a, FieldErrors e) => e.Required("reason", b.Reason, 2000) is { } r ? new ApplyForTermination(a, r) : null),
        // Long-running matters and legal procedures (Guangzhou): the organizer's side; see LongTermEndpoints for the platform's.
        ActionSpec("solution-plan", "Submit (or revise) the solution plan of a long-running matter, by the plan deadline (Guangzhou).",
            (SolutionPlanBody b, Actor a, FieldErrors e) => e.Required("plan", b.Plan, 4000) is { } p ? new SubmitSolutionPlan(a, p) : null),
        ActionSpec("staged-feedback", "Give staged feedback on a long-running matter to the citizen and the office, at the profile's interval (Guangzhou).",
            (StagedFeedbackBody b, Actor a, FieldErrors e) => e.Required("text", b.Text, 4000) is { } t ? new GiveStagedFeedback(a, t) : null),
        ActionSpec("legal-procedure", "Record that the matter goes through a legal procedure, and which; the ordinary deadline is held meanwhile (Guangzhou).",
            (LegalProcedureBody b, Actor a, FieldErrors e) =>
            {
                var kind = e.Enum("kind", b.Kind);
                var note = e.Required("note", b.Note, 2000);
                return kind is { } k && note is not null ? new StartLegalProcedure(a, k, note) : null;
            }),
        ActionSpec("legal-procedure-end", "Record that the legal procedure ended; the final situation is then reported within 3 working days (Guangzhou).",
            (NoteBody b, Actor a, FieldErrors e) => e.Required("note", b.Note, 2000) is { } n ? new EndLegalProcedure(a, n) : null),
        ActionSpec("part", "A co-organizer submits its part of the matter to the lead unit, once, by its deadline (Fujian 16; Weifang 22).",
            (PartBody b, Actor a, FieldErrors e) => e.Required("text", b.Text, 4000) is { } t ? new SubmitCoOrganizerPart(a, t) : null),
    ];

    /// <summary>Runs the organizer action at <c>POST /api/o/{token}/{path}</c>; the Azure Functions host calls it by path.</summary>
    public static Task<IResult> Act(HttpContext http, string token, string path) =>
        Actions.FirstOrDefault(a => a.Path == path) is { } action ? action.Handler(http, token) : Task.FromResult(Problems.NotFound($"No action {path}."));

    private static OrganizerAction ActionSpec<TBody>(string path, string summary, Func<TBody, Actor, FieldErrors, MatterCommand?> build) where TBody : class =>
        new(path, (http, token) => Execute(http, token, build), api =>
            api.MapPost("/" + path, (HttpContext http, string token) => Act(http, token, path))
                .WithName("organizer" + char.ToUpperInvariant(path[0]) + path[1..]).WithSummary(summary)
                .Accepts<TBody>("application/json").Produces<OrganizerView>().ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
                // A co-organizer's link asking for the lead's actions, or the lead's for a co-organizer's part.
                .ProducesProblem(StatusCodes.Status403Forbidden));

    private static async Task<IResult> Execute<TBody>(HttpContext http, string token, Func<TBody, Actor, FieldErrors, MatterCommand?> build) where TBody : class
    {
        var (access, denied) = await ResolveAsync(http, token).ConfigureAwait(false);
        if (access is null) return denied!;
        TBody body;
        if (typeof(TBody) == typeof(OptionalBody) && (http.Request.ContentLength ?? 0) == 0)
        {
            body = (TBody)(object)new OptionalBody();
        }
        else
        {
            var (read, problem) = await JsonBody.ReadAsync<TBody>(http.Request).ConfigureAwait(false);
            if (problem is not null) return problem;
            body = read!;
        }
        var errors = new FieldErrors();
        var command = build(body, access.Actor, errors);
        if (errors.Any || command is null) return errors.ToProblem();
        return await ApplyAsync(http, access, command).ConfigureAwait(false);
    }

    private static async Task<IResult> ApplyAsync(HttpContext http, Access access, MatterCommand command)
    {
        var outcome = await http.RequestServices.GetRequiredService<MatterService>()
            .ExecuteAsync(access.Grant.MatterId, command, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        return outcome.Accepted ? Results.Ok(await ViewAsync(http, outcome.State!, access.Actor).ConfigureAwait(false)) : Problems.Refused(outcome.Refusal!);
    }

    public static async Task<IResult> Reply(HttpContext http, string token)
    {
        var (access, denied) = await ResolveAsync(http, token).ConfigureAwait(false);
        if (access is null) return denied!;
        var (body, problem) = await JsonBody.ReadAsync<OrganizerReplyBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        var text = errors.Required("text", body!.Text, 4000);
        if (errors.Any) return errors.ToProblem();
        IReadOnlyList<EvidenceRef> evidence;
        try
        {
            evidence = await http.RequestServices.GetRequiredService<EvidenceStore>()
                .VerifyAsync(access.Grant.MatterId, body.Evidence ?? [], http.RequestAborted).ConfigureAwait(false);
        }
        catch (EvidenceRejectedException ex)
        {
            return Problems.Invalid("evidence", ex.Message);
        }
        return await ApplyAsync(http, access, new SubmitReply(access.Actor, text!, evidence, body.Kind ?? ReplyKind.Solved)).ConfigureAwait(false);
    }

    public static async Task<IResult> GrantUpload(HttpContext http, string token)
    {
        var (access, denied) = await ResolveAsync(http, token).ConfigureAwait(false);
        if (access is null) return denied!;
        var (body, problem) = await JsonBody.ReadAsync<EvidenceBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = new FieldErrors();
        var contentType = errors.Required("contentType", body!.ContentType, 100);
        if (body.Bytes is null) errors.Add("bytes", "Required: the file's size in bytes.");
        if (errors.Any) return errors.ToProblem();
        try
        {
            var grant = await http.RequestServices.GetRequiredService<EvidenceStore>()
                .GrantUploadAsync(access.Grant.MatterId, body.FileName ?? "", contentType!, body.Bytes!.Value, http.RequestAborted).ConfigureAwait(false);
            return Results.Ok(grant);
        }
        catch (EvidenceRejectedException ex)
        {
            var colon = ex.Message.IndexOf(':', StringComparison.Ordinal);
            return Problems.Invalid(ex.Message[..colon], ex.Message[(colon + 1)..].Trim());
        }
    }

    public static async Task<IResult> StaffEvidence(HttpContext http, string id)
    {
        var (_, denied) = Security.Access.Authorize(http, Security.KeyRole.Staff);
        if (denied is not null) return denied;
        var stored = MatterEndpoints.ValidId(id) ? await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(id, http.RequestAborted).ConfigureAwait(false) : null;
        if (stored is null) return Problems.NotFound($"There is no matter {id}.");
        var store = http.RequestServices.GetRequiredService<EvidenceStore>();
        var links = new List<EvidenceLink>();
        foreach (var evidence in stored.State.Replies.SelectMany(r => r.Evidence))
        {
            links.Add(await store.ReadLinkAsync(evidence, http.RequestAborted).ConfigureAwait(false));
        }
        return Results.Ok(links);
    }

    /// <summary>
    /// The organizer's view. What it may do now is asked of the lifecycle itself with sample commands, so the page
    /// offers exactly what the server would accept and no rule is written twice.
    /// </summary>
    private static async Task<OrganizerView> ViewAsync(HttpContext http, Matter m, Actor unit)
    {
        var sp = http.RequestServices;
        var lifecycle = sp.GetRequiredService<MatterService>().Lifecycle;
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        bool Allowed(MatterCommand c) => lifecycle.Decide(m, c, now).Accepted;
        var probe = new EvidenceRef(m.Id + "/probe.jpg", "image/jpeg", 1);
        var actions = new OrganizerActions(
            Allowed(new SignMatter(unit)),
            Allowed(new ApplyForReturn(unit, "?")),
            Allowed(new RecordContact(unit, "?")),
            Allowed(new ApplyForExtension(unit, 1, "?")),
            Allowed(new SubmitReply(unit, "?", [probe])),
            Allowed(new ApplyForTermination(unit, "?")),
            Allowed(new SubmitReply(unit, "?", [probe], ReplyKind.ExplainedNotSolvable)),
            Allowed(new SubmitCoOrganizerPart(unit, "?")));
        if (unit.Id != m.Organizer) return await CoOrganizerViewAsync(http, m, unit, actions, now).ConfigureAwait(false);
        var rule = lifecycle.Profile.Extension;
        var maxDays = rule.TotalMaxIsOriginalLimit ? Math.Max(0, m.LimitWorkingDays - m.ExtensionDaysCounted)
            : rule.MaxLengthIsOriginalLimit ? m.LimitWorkingDays : RegulationProfile.MaxWorkingDays;
        var extension = new ExtensionInfo(maxDays, Math.Max(0, rule.MaxCount - m.ExtensionsCounted), m.PendingExtension);

        var citizen = m.Intake.Citizen;
        if (!citizen.Confidential)
        {
            // An organizer seeing the citizen's contact details is a disclosure like any other: recorded first.
            await sp.GetRequiredService<DisclosureAudit>().RecordAsync(m.Id, "organizer:" + m.Organizer, "citizen", http.RequestAborted).ConfigureAwait(false);
        }
        var d = m.Deadlines;
        return new OrganizerView(m.Id, m.Status, m.Intake.Type, m.Intake.Urgency, m.Intake.Category, m.Intake.Title, m.Intake.Description, m.Intake.Location,
            citizen.Confidential ? MatterViews.Masked(citizen) : new CitizenView(citizen.Name, citizen.Phone, false, citizen.Email),
            m.Organizer!, sp.GetRequiredService<DirectoryStore>().Directory.Find(m.Organizer!)?.Name, m.Assignment?.CoOrganizers ?? [], m.Intake.ReceivedAt, now,
            new DeadlinesView(null, d.SignBy, d.ReturnBy, d.ContactBy, d.DueBy, d.ExtensionCutoff, d.EvaluationBy),
            actions, extension, m.PendingTermination is not null,
            [.. m.Replies.Select(r => new ReplyView(r.Text, r.Evidence, r.At, r.Accepted, r.Note, r.Kind))],
            [.. m.Timeline.Select(t => new ProgressStep(t.At, t.Event))],
            sp.GetRequiredService<EvidenceStore>().Limits, m.Supervised, OrganizerLongTermView.Of(m, unit, Allowed),
            OrganizerRole.Lead, Parts(m, m.CoOrganizerParts, sp));
    }
}
