using Azure;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public sealed record OrganizersView(IReadOnlyList<OrganizerUnit> Units);

public sealed record OrganizerBody(Text? Name, Contact? Handler, Contact? Leader, IReadOnlyList<string>? Districts, IReadOnlyList<string>? Categories);

/// <summary>
/// The organizer directory and the routing table, managed by staff. Updates are conditional: send the ETag you
/// read as If-Match, so two dispatchers editing at once cannot overwrite each other (412 for the later one).
/// </summary>
public static class DirectoryEndpoints
{
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("organizers");
        api.MapGet("/organizers", MatterEndpoints.Handler(ListOrganizers)).WithName("listOrganizers")
            .WithSummary("The organizer directory (staff key); the ETag header is the version to send back as If-Match.").Produces<OrganizersView>();
        api.MapPut("/organizers/{id}", (HttpContext http, string id) => PutOrganizer(http, id)).WithName("putOrganizer")
            .WithSummary("Add or replace one organizer unit (staff key, If-Match required).").Accepts<OrganizerBody>("application/json")
            .Produces<OrganizerUnit>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapGet("/routing", MatterEndpoints.Handler(GetRouting)).WithName("getRouting")
            .WithSummary("The routing table: category and district to lead and co-organizers, and the fallback units (staff key).").Produces<RoutingTable>();
        api.MapPut("/routing", MatterEndpoints.Handler(PutRouting)).WithName("putRouting")
            .WithSummary("Replace the routing table (staff key, If-Match required). Every unit it names must be in the directory.")
            .Accepts<RoutingTable>("application/json").Produces<RoutingTable>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapGet("/routing/route", MatterEndpoints.Handler(PreviewRoute)).WithName("previewRoute")
            .WithSummary("Where a matter of this category, district and urgency would go, and whether it would be dispatched at intake.")
            .Produces<RouteDecision>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> ListOrganizers(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var snapshot = await Store(http).RefreshAsync(http.RequestAborted).ConfigureAwait(false);
        http.Response.Headers.ETag = VersionTag(snapshot.DirectoryVersion);
        return Results.Ok(new OrganizersView([.. snapshot.Directory.All.OrderBy(u => u.Id, StringComparer.Ordinal)]));
    }

    public static async Task<IResult> PutOrganizer(HttpContext http, string id)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        if (IfMatch(http) is not { } expected) return PreconditionRequired();
        var (body, problem) = await JsonBody.ReadAsync<OrganizerBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        var e = new FieldErrors();
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) e.Add("id", "Lowercase letters, digits and dashes, at most 64.");
        if (body!.Name is null || string.IsNullOrWhiteSpace(body.Name.Zh)) e.Add("name.zh", "Required.");
        CheckContact(e, "handler", body.Handler);
        CheckContact(e, "leader", body.Leader);
        if (e.Any) return e.ToProblem();
        var unit = new OrganizerUnit(id, body.Name!, body.Handler!, body.Leader!, body.Districts ?? [], body.Categories ?? []);
        return await Save(http, async ct =>
        {
            // Links sent to a handler or leader who is replaced stop working. Revoked before the save: should the save
            // fail, a link has died early, which a new SMS mends; the other order could leave a working link behind.
            var before = (await Store(http).RefreshAsync(ct).ConfigureAwait(false)).Directory.Find(id);
            var links = http.RequestServices.GetRequiredService<OrganizerLinks>();
            if (before is not null && Digits(before.Handler.Phone) != Digits(unit.Handler.Phone))
                await links.RevokeForRecipientAsync(id, OrganizerLinks.HandlerRecipient, ct).ConfigureAwait(false);
            if (before is not null && Digits(before.Leader.Phone) != Digits(unit.Leader.Phone))
                await links.RevokeForRecipientAsync(id, OrganizerLinks.LeaderRecipient, ct).ConfigureAwait(false);
            return (await Store(http).SaveUnitAsync(unit, expected, ct).ConfigureAwait(false)).DirectoryVersion;
        }, unit).ConfigureAwait(false);
    }

    public static async Task<IResult> GetRouting(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var snapshot = await Store(http).RefreshAsync(http.RequestAborted).ConfigureAwait(false);
        http.Response.Headers.ETag = VersionTag(snapshot.RoutingVersion);
        return Results.Ok(snapshot.Routing);
    }

    public static async Task<IResult> PutRouting(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        if (IfMatch(http) is not { } expected) return PreconditionRequired();
        var (body, problem) = await JsonBody.ReadAsync<RoutingTable>(http.Request, 1024 * 1024).ConfigureAwait(false);
        if (problem is not null) return problem;
        if (body!.Rules is null || body.FallbackByDistrict is null) return Problems.Invalid("rules", "rules and fallbackByDistrict are required.");
        return await Save(http, async ct => (await Store(http).SaveRoutingAsync(body, expected, ct).ConfigureAwait(false)).RoutingVersion, body).ConfigureAwait(false);
    }

    public static async Task<IResult> PreviewRoute(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var q = http.Request.Query;
        if (q["category"].ToString() is not { Length: > 0 } category) return Problems.Invalid("category", "Required.");
        var urgent = string.Equals(q["urgency"], "urgent", StringComparison.Ordinal);
        var intake = new Intake(Channel.Other, "preview", MatterType.Complaint, urgent ? Urgency.Urgent : Urgency.Normal, category, "", "",
            new Location(null, q["district"].ToString() is { Length: > 0 } d ? d : null, null, null), new Citizen(null, "0", false), DateTimeOffset.UnixEpoch);
        var snapshot = await Store(http).RefreshAsync(http.RequestAborted).ConfigureAwait(false);
        var decision = snapshot.Routing.Route(intake);
        if (decision is null) return Problems.NotFound($"No route and no fallback unit for category {category}.");
        http.Response.Headers["X-Dispatched-At-Intake"] = (snapshot.Routing.AutoDispatch(intake) is not null).ToString().ToLowerInvariant();
        return Results.Ok(decision);
    }

    private static async Task<IResult> Save<T>(HttpContext http, Func<CancellationToken, Task<ETag>> save, T saved)
    {
        try
        {
            var version = await save(http.RequestAborted).ConfigureAwait(false);
            http.Response.Headers.ETag = VersionTag(version);
            return Results.Ok(saved);
        }
        catch (StaleVersionException ex)
        {
            return Results.Problem(title: "Changed by someone else.", detail: ex.Message, statusCode: StatusCodes.Status412PreconditionFailed, type: Problems.TypeBase + "stale-version");
        }
        catch (FormatException ex)
        {
            return Problems.Invalid("body", ex.Message);
        }
    }

    private static string Digits(string phone) => new(phone.Where(char.IsAsciiDigit).ToArray());

    private static void CheckContact(FieldErrors e, string field, Contact? contact)
    {
        if (contact is null) { e.Add(field, "Required: name and phone."); return; }
        e.Required(field + ".name", contact.Name, 64);
        e.Required(field + ".phone", contact.Phone, 32);
    }

    /// <summary>
    /// The storage ETag as an opaque strong HTTP entity tag: storage ETags are weak (W/"…"), and clients differ in
    /// whether they send the W/ back, so we wrap it and compare what we wrapped.
    /// </summary>
    private static string VersionTag(ETag version) =>
        "\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(version.ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";

    private static ETag? IfMatch(HttpContext http)
    {
        var value = http.Request.Headers.IfMatch.ToString().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"');
        if (value.Length == 0) return null;
        try
        {
            var padded = value.Replace('-', '+').Replace('_', '/').PadRight((value.Length + 3) / 4 * 4, '=');
            return new ETag(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
        }
        catch (FormatException)
        {
            return new ETag("unknown-version"); // never matches: answered 412
        }
    }

    private static IResult PreconditionRequired() =>
        Results.Problem(title: "If-Match is required.", detail: "Send the ETag of the version you read, so concurrent edits are not lost.",
            statusCode: StatusCodes.Status428PreconditionRequired, type: Problems.TypeBase + "precondition-required");

    private static DirectoryStore Store(HttpContext http) => http.RequestServices.GetRequiredService<DirectoryStore>();
}
