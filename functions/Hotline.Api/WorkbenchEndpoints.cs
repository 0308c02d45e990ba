using System.Globalization;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Knowledge;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public sealed record QueueCount(QueueKind Queue, int Count);

/// <param name="Now">The server's clock, so the page counts waiting time by it (in Development it may have been moved).</param>
public sealed record QueueCounts(DateTimeOffset Now, IReadOnlyList<QueueCount> Queues);

/// <summary>A waiting matter; for the dispatch queue, where routing would send it (the dispatcher confirms or overrides).</summary>
public sealed record WorkbenchItem(QueueItem Item, RouteDecision? Route);

/// <summary>Who is signed in, with which roles, and the queues those roles open.</summary>
/// <param name="Rejections">The profile's reasons for not accepting a matter, with the guidance the citizen is given (Fujian 13).</param>
public sealed record WorkbenchMe(string Name, IReadOnlyList<string> Roles, IReadOnlyList<QueueKind> Queues, IReadOnlyList<NonAcceptanceReason> Rejections);

public sealed record WorkbenchPage(QueueKind Queue, DateTimeOffset Now, IReadOnlyList<WorkbenchItem> Items, string? ContinuationToken);

/// <summary>
/// The platform staff's workbench: <c>GET /workbench</c> (plain HTML, CSS and JavaScript embedded in this assembly,
/// like the dashboard) and the queue API it reads. Every decision the page offers is the existing decision endpoint
/// (<see cref="MatterEndpoints.Decisions"/>); nothing here writes to a matter.
/// </summary>
public static class WorkbenchEndpoints
{
    private const string ResourcePrefix = "Hotline.Workbench.";
    private const string NowPlaceholder = "{{SERVER_NOW}}";
    private const string SignInPlaceholder = "{{SIGN_IN}}";
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    public static IEndpointRouteBuilder MapWorkbenchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/workbench", (Func<HttpContext, IResult>)Page).ExcludeFromDescription();
        app.MapGet("/workbench/assets/{file}", (Func<HttpContext, string, IResult>)Asset).ExcludeFromDescription();
        var api = app.MapGroup("/api/workbench").WithTags("workbench");
        api.MapGet("/me", MatterEndpoints.Handler(Me)).WithName("workbenchMe")
            .WithSummary("Who the caller is (staff key or platform sign-in), their roles and the queues they work.").Produces<WorkbenchMe>();
        api.MapGet("/queues", MatterEndpoints.Handler(Counts)).WithName("workbenchQueues")
            .WithSummary("How many matters wait in each queue the caller's roles open (staff).").Produces<QueueCounts>();
        api.MapGet("/queues/{queue}", (HttpContext http, string queue) => List(http, queue)).WithName("workbenchQueue")
            .WithSummary("The matters waiting in one queue, oldest first, paged (staff key): dispatch, return, extension, reply, termination or verification.")
            .Produces<WorkbenchPage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The app role each queue's decisions need (a supervisor works every queue).</summary>
    public static StaffRoles RoleFor(QueueKind queue) => queue switch
    {
        QueueKind.Dispatch or QueueKind.Return => StaffRoles.Dispatcher,
        // Verifying an unsatisfied evaluation judges the organizer's handling, as reviewing its reply does (Fujian 18, 22).
        QueueKind.Extension or QueueKind.Reply or QueueKind.Verification or QueueKind.Knowledge => StaffRoles.Reviewer,
        _ => StaffRoles.Supervisor,
    };

    private static QueueKind[] QueuesOf(Caller caller) => [.. Enum.GetValues<QueueKind>().Where(q => caller.Roles.Allows(RoleFor(q)))];

    public static Task<IResult> Me(HttpContext http)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return Task.FromResult(denied);
        var roles = Enum.GetValues<StaffRoles>().Where(r => r is not (StaffRoles.None or StaffRoles.All) && caller!.Roles.HasFlag(r))
            .Select(r => r.ToString().ToLowerInvariant()).ToArray();
        var rejections = http.RequestServices.GetRequiredService<RegulationProfile>().NonAcceptance;
        return Task.FromResult(Results.Ok(new WorkbenchMe(caller!.Name, roles, QueuesOf(caller), rejections)));
    }

    public static async Task<IResult> Counts(HttpContext http)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var queues = QueuesOf(caller!);
        var counts = new Dictionary<QueueKind, int>(await http.RequestServices.GetRequiredService<StaffQueues>()
            .CountsAsync(queues.Where(q => q != QueueKind.Knowledge), http.RequestAborted).ConfigureAwait(false));
        if (queues.Contains(QueueKind.Knowledge))
            counts[QueueKind.Knowledge] = await http.RequestServices.GetRequiredService<KnowledgeProposals>().CountPendingAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new QueueCounts(Now(http), [.. queues.Select(q => new QueueCount(q, counts[q]))]));
    }

    public static async Task<IResult> List(HttpContext http, string queue)
    {
        if (StaffQueues.Parse(queue) is not { } q)
        {
            var (_, notStaff) = Access.Authorize(http, Staff);
            return notStaff ?? Problems.NotFound($"There is no queue {queue}; the queues are {string.Join(", ", Enum.GetValues<QueueKind>().Select(StaffQueues.Name))}.");
        }
        var (_, denied) = Access.Authorize(http, Staff, RoleFor(q));
        if (denied is not null) return denied;
        if (q == QueueKind.Knowledge) return Problems.NotFound("The knowledge queue holds proposals, not matters: GET /api/knowledge-proposals lists it.");
        var errors = new FieldErrors();
        var (pageSize, token) = errors.Paging(http.Request.Query);
        if (errors.Any) return errors.ToProblem();
        var page = await http.RequestServices.GetRequiredService<StaffQueues>().ListAsync(q, pageSize, token, http.RequestAborted).ConfigureAwait(false);
        var routing = q == QueueKind.Dispatch ? http.RequestServices.GetRequiredService<DirectoryStore>().Routing : null;
        return Results.Ok(new WorkbenchPage(q, Now(http), [.. page.Items.Select(i => new WorkbenchItem(i, routing?.Route(RoutingInput(i))))], page.ContinuationToken));
    }

    private static DateTimeOffset Now(HttpContext http) => ChinaTime.ToChina(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());

    /// <summary>What routing looks at (category, district, urgency), from the queue row; nothing personal is needed.</summary>
    private static Intake RoutingInput(QueueItem i) =>
        new(Channel.Other, "workbench", i.Type, i.Urgency, i.Category, "", "", new Location(null, i.District, null, null), new Citizen(null, "0", false), i.ReceivedAt);

    public static IResult Page(HttpContext http)
    {
        var html = Read("workbench.html");
        if (html is null) return Results.NotFound();
        var now = ChinaTime.ToChina(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        Security.SecurityHeaders.Page(http.Response, Security.SecurityHeaders.StaffPagePolicy);
        var signIn = http.RequestServices.GetService<PlatformAuthentication>()?.Enabled == true;
        return Results.Content(html.Replace(NowPlaceholder, now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(SignInPlaceholder, signIn ? "true" : "false", StringComparison.Ordinal), "text/html", System.Text.Encoding.UTF8);
    }

    public static IResult Asset(HttpContext http, string file) => EmbeddedPages.Asset(http, ResourcePrefix, file);

    private static string? Read(string name) => EmbeddedPages.Read(ResourcePrefix, name);
}
