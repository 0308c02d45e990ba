using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public sealed record LongRunningBody(string? GuidanceDepartment, string? Note);

public sealed record EscalationBody(string? Reason);

public sealed record EscalationOutcomeBody(EscalationOutcome? Outcome, string? Note);

public sealed record SolutionPlanBody(string? Plan);

public sealed record StagedFeedbackBody(string? Text);

public sealed record LegalProcedureBody(LegalProcedureKind? Kind, string? Note);

/// <summary>The open matters with long-term work, soonest deadline first, with the server's clock that "overdue" was judged by.</summary>
public sealed record LongTermList(DateTimeOffset Now, IReadOnlyList<LongTermItem> Items);

/// <summary>
/// The platform's side of long-running matters and legal procedures (Guangzhou, seeds/004) and of escalation (Weifang 23):
/// supervisors mark, end and escalate, and see every such matter with its deadline (<c>GET /api/long-term</c>). The
/// organizer's side (solution plan, staged feedback, procedure start and end) is in <see cref="OrganizerEndpoints.Actions"/>.
/// </summary>
public static class LongTermEndpoints
{
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    /// <summary>The kinds <c>GET /api/long-term?kind=</c> takes.</summary>
    public static readonly string[] Kinds = ["longRunning", "legalProcedure", "finalReport", "escalation"];

    public static IEndpointRouteBuilder MapLongTermApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("long-term");
        Post<LongRunningBody>(api, "long-running", "markLongRunning",
            "Mark the matter long-running (Guangzhou) and name the business guidance department (a directory unit) that supervises it; " +
            "both it and the organizer are told by SMS, and the ordinary deadline is held (supervisor key).");
        Post<NoteBody>(api, "long-running-end", "endLongRunning",
            "End the long-term work: the organizer gets a fresh handling limit to reply (supervisor key).");
        Post<NoteBody>(api, "legal-procedure-end", "endLegalProcedure",
            "Record that the matter's legal procedure ended: the organizer reports the final situation within the profile's working days (Guangzhou: 3) (supervisor key).");
        Post<EscalationBody>(api, "escalation", "escalateMatter",
            "Escalate a matter its organizer cannot solve to the municipal government office, with its own clock (Weifang 23) (supervisor key).");
        Post<EscalationOutcomeBody>(api, "escalation-outcome", "recordEscalationOutcome",
            "The escalation's outcome: resolved (by the office's study), putToExecutiveMeeting, then decidedByExecutiveMeeting (Weifang 23) (supervisor key).");
        api.MapGet("/long-term", MatterEndpoints.Handler(List)).WithName("listLongTerm")
            .WithSummary("Open long-running matters, legal procedures and final reports due, and escalations, with their owners and deadlines, " +
                "soonest first; ?kind= narrows (staff key).")
            .Produces<LongTermList>().ProducesValidationProblem();
        return app;
    }

    private static void Post<TBody>(RouteGroupBuilder api, string path, string name, string summary) where TBody : class =>
        api.MapPost("/matters/{id}/" + path, (HttpContext http, string id) => Act(http, id, path)).WithName(name).WithSummary(summary)
            .Accepts<TBody>("application/json").Produces<MatterView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>Runs the staff action at <c>POST /api/matters/{id}/{path}</c>; the Azure Functions host calls it by path.</summary>
    public static Task<IResult> Act(HttpContext http, string id, string path) => path switch
    {
        "long-running" => MatterEndpoints.Execute<LongRunningBody>(http, id, Staff, (b, c, e) =>
        {
            var unit = e.Required("guidanceDepartment", b.GuidanceDepartment, 64);
            var note = e.Required("note", b.Note, 2000);
            return unit is not null && note is not null ? new MarkLongRunning(c.Actor, unit, note) : null;
        }, CheckGuidanceDepartment, StaffRoles.Supervisor),
        "long-running-end" => MatterEndpoints.Execute<NoteBody>(http, id, Staff, (b, c, e) =>
            e.Required("note", b.Note, 2000) is { } note ? new EndLongRunning(c.Actor, note) : null, need: StaffRoles.Supervisor),
        "legal-procedure-end" => MatterEndpoints.Execute<NoteBody>(http, id, Staff, (b, c, e) =>
            e.Required("note", b.Note, 2000) is { } note ? new EndLegalProcedure(c.Actor, note) : null, need: StaffRoles.Supervisor),
        "escalation" => MatterEndpoints.Execute<EscalationBody>(http, id, Staff, (b, c, e) =>
            e.Required("reason", b.Reason, 2000) is { } reason ? new EscalateMatter(c.Actor, reason) : null, need: StaffRoles.Supervisor),
        "escalation-outcome" => MatterEndpoints.Execute<EscalationOutcomeBody>(http, id, Staff, (b, c, e) =>
        {
            var outcome = e.Enum("outcome", b.Outcome);
            var note = e.Required("note", b.Note, 2000);
            return outcome is { } o && note is not null ? new RecordEscalationOutcome(c.Actor, o, note) : null;
        }, need: StaffRoles.Supervisor),
        _ => Task.FromResult(Problems.NotFound($"No action {path}.")),
    };

    /// <summary>The guidance department is told by SMS, so it must be a unit of the directory.</summary>
    private static Task<IResult?> CheckGuidanceDepartment(HttpContext http, LongRunningBody body) =>
        Task.FromResult(http.RequestServices.GetRequiredService<DirectoryStore>().Directory.Find(body.GuidanceDepartment!) is null
            ? Problems.Invalid("guidanceDepartment", $"There is no unit '{body.GuidanceDepartment}' in the directory.")
            : null);

    public static async Task<IResult> List(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var kind = http.Request.Query["kind"].ToString();
        if (kind.Length > 0 && !Kinds.Contains(kind, StringComparer.Ordinal))
            return Problems.Invalid("kind", $"One of: {string.Join(", ", Kinds)}.");
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var items = await http.RequestServices.GetRequiredService<MatterIndex>()
            .LongTermAsync(now, kind.Length > 0 ? kind : null, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new LongTermList(Orchestrations.Time.ChinaTime.ToChina(now), items));
    }
}

/// <summary>What the organizer's page offers for long-term work: the actions the lifecycle would accept now, and the records.</summary>
public sealed record OrganizerLongTermView(bool SolutionPlan, bool StagedFeedback, bool LegalProcedure, bool LegalProcedureEnd, LongTermState State)
{
    public static OrganizerLongTermView Of(Matter m, Actor unit, Func<MatterCommand, bool> allowed) => new(
        allowed(new SubmitSolutionPlan(unit, "?")),
        allowed(new GiveStagedFeedback(unit, "?")),
        allowed(new StartLegalProcedure(unit, LegalProcedureKind.Other, "?")),
        allowed(new EndLegalProcedure(unit, "?")),
        m.LongTerm);
}
