using System.Globalization;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Projections;
using Hotline.Runtime.ReturnVisits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public sealed record SupervisionItem(
    string MatterId, string Title, string? Organizer, string? District, IReadOnlyList<SupervisionSummary> Reasons, DateTimeOffset? Since,
    MatterStatus Status, DateTimeOffset? DueBy, DateTimeOffset? NextDeadline);

public sealed record SupervisionPage(IReadOnlyList<SupervisionItem> Items, string? ContinuationToken);

public sealed record ReturnVisitBody(bool? Solved, string? Note);

public sealed record ReturnVisitList(DateOnly Day, double Share, IReadOnlyList<DrawnVisit> Visits);

/// <summary>
/// Supervision (Fujian 24, 30; Weifang 26): the list of matters under supervision with why and since when,
/// reminders to organizers, and the daily draw of random return visits with their outcomes (Fujian 23, Weifang 25).
/// </summary>
public static class SupervisionEndpoints
{
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("supervision");
        api.MapGet("/supervision", MatterEndpoints.Handler(List)).WithName("listSupervision")
            .WithSummary("Matters under supervision: why, since when, the organizer and what is due next; by organizer, reason and district, paged (staff key).")
            .Produces<SupervisionPage>().ProducesValidationProblem();
        api.MapPost("/matters/{id}/reminder", (HttpContext http, string id) => Remind(http, id))
            .WithName("remindOrganizer").WithSummary("Remind the organizer by SMS to its handler and leader; recorded on the matter (staff key).")
            .Accepts<NoteBody>("application/json").Produces<MatterView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/matters/{id}/return-visit", (HttpContext http, string id) => ReturnVisit(http, id))
            .WithName("recordReturnVisit").WithSummary("Record a return visit; a matter found unsolved is handled again by its organizer (staff key).")
            .Accepts<ReturnVisitBody>("application/json").Produces<MatterView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/return-visits", MatterEndpoints.Handler(Draw)).WithName("drawReturnVisits")
            .WithSummary("The reproducible random draw of return visits among the matters each organizer closed on a day (staff key).")
            .Produces<ReturnVisitList>().ProducesValidationProblem();
        return app;
    }

    public static Task<IResult> Remind(HttpContext http, string id) =>
        MatterEndpoints.Execute<NoteBody>(http, id, Staff, (b, c, e) =>
            e.Required("note", b.Note, 2000) is { } note ? new RemindOrganizer(c.Actor, note) : null);

    public static Task<IResult> ReturnVisit(HttpContext http, string id) =>
        MatterEndpoints.Execute<ReturnVisitBody>(http, id, Staff, (b, c, e) =>
        {
            if (b.Solved is null) e.Add("solved", "Required: true or false.");
            return e.Required("note", b.Note, 2000) is { } note && b.Solved is { } solved ? new RecordReturnVisit(c.Actor, solved, note) : null;
        });

    public static async Task<IResult> List(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var q = http.Request.Query;
        var errors = new FieldErrors();
        var reason = errors.QueryEnum<SupervisionReason>("reason", q["reason"]);
        var (pageSize, token) = errors.Paging(q);
        if (errors.Any) return errors.ToProblem();

        var page = await http.RequestServices.GetRequiredService<MatterIndex>().SupervisedAsync(
            Text(q["organizer"]), reason, Text(q["district"]), pageSize, token, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new SupervisionPage(
            [.. page.Items.Select(m => new SupervisionItem(m.Id, m.Title, m.Organizer, m.District, m.SupervisionReasons ?? [], m.SupervisedSince, m.Status, m.DueBy, m.NextDeadline))],
            page.ContinuationToken));
    }

    public static async Task<IResult> Draw(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        if (!DateOnly.TryParseExact(http.Request.Query["day"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Problems.Invalid("day", "Required: a day as yyyy-MM-dd (China Standard Time).");
        var draw = http.RequestServices.GetRequiredService<ReturnVisitDraw>();
        var visits = await draw.DrawAsync(day, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new ReturnVisitList(day, draw.Share, visits));
    }

    private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
