using Hotline.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Hotline.FunctionApp;

/// <summary>An ASP.NET Core IResult as the IActionResult the Functions ASP.NET Core integration executes.</summary>
internal sealed class ResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}

/// <summary>
/// Every route of the local host as an HTTP-triggered function calling the same handler. Channel and staff routes are
/// at AuthorizationLevel.Function: Azure checks the x-functions-key first (name one host key per channel system and
/// staff member), then the handler maps the key to its role as on the local host. Organizer routes and the pages are
/// anonymous: the link's token is the credential. No rule, validation or mapping lives here.
/// </summary>
public sealed class HttpFunctions(DurableClientAccessor durable)
{
    private async Task<IActionResult> Run(HttpRequest req, DurableTaskClient client, Func<Task<IResult>> handler)
    {
        using (durable.Bind(client))
        {
            try
            {
                return new ResultAction(await handler().ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !req.HttpContext.RequestAborted.IsCancellationRequested)
            {
                // The same answer as the local host's middleware: a 500 problem with a trace id, no exception text.
                return new ResultAction(UnhandledErrors.Problem(req.HttpContext, ex));
            }
        }
    }

    // ---- Channel systems and staff: matters ----

    [Function("postMatter")]
    public Task<IActionResult> PostMatter([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/matters")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.PostMatter(req.HttpContext));

    [Function("listMatters")]
    public Task<IActionResult> ListMatters([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/matters")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.ListMatters(req.HttpContext));

    [Function("getMatter")]
    public Task<IActionResult> GetMatter([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/matters/{id}")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.GetMatter(req.HttpContext, id));

    [Function("getProgress")]
    public Task<IActionResult> GetProgress([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/matters/{id}/progress")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.GetProgress(req.HttpContext, id));

    [Function("evaluate")]
    public Task<IActionResult> Evaluate([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/matters/{id}/evaluation")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.Evaluate(req.HttpContext, id));

    [Function("merge")]
    public Task<IActionResult> Merge([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/matters/{id}/merge")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.Merge(req.HttpContext, id));

    /// <summary>The staff decisions (dispatch, rejection, answer, return-decision, extension-decision, reply-review, evaluation-verification, termination-decision, supervision).</summary>
    [Function("decide")]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Function, "post",
            Route = "api/matters/{id}/{decision:regex(^(dispatch|rejection|answer|return-decision|extension-decision|reply-review|evaluation-verification|termination-decision|supervision)$)}")]
        HttpRequest req, string id, string decision, [DurableClient] DurableTaskClient client) =>
        Run(req, client, () => MatterEndpoints.Decide(req.HttpContext, id, decision));

    [Function("liftSupervision")]
    public Task<IActionResult> LiftSupervision([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/matters/{id}/supervision/lift")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.Decide(req.HttpContext, id, "supervision/lift"));

    [Function("getProfile")]
    public static IActionResult GetProfile([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/profile")] HttpRequest req) =>
        new ResultAction(MatterEndpoints.GetProfile(req.HttpContext));

    [Function("listPoisonedEffects")]
    public Task<IActionResult> Poison([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/effects/poison")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => MatterEndpoints.GetPoison(req.HttpContext));

    [Function("listEvidence")]
    public Task<IActionResult> Evidence([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/matters/{id}/evidence")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => OrganizerEndpoints.StaffEvidence(req.HttpContext, id));

    // ---- Supervision ----

    [Function("listSupervision")]
    public Task<IActionResult> Supervision([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/supervision")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => SupervisionEndpoints.List(req.HttpContext));

    [Function("remindOrganizer")]
    public Task<IActionResult> Remind([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/matters/{id}/reminder")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => SupervisionEndpoints.Remind(req.HttpContext, id));

    [Function("recordReturnVisit")]
    public Task<IActionResult> ReturnVisit([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/matters/{id}/return-visit")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => SupervisionEndpoints.ReturnVisit(req.HttpContext, id));

    [Function("drawReturnVisits")]
    public Task<IActionResult> DrawReturnVisits([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/return-visits")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => SupervisionEndpoints.Draw(req.HttpContext));

    // ---- Assessment and reports ----

    [Function("organizerReport")]
    public Task<IActionResult> OrganizerReport([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/reports/organizers")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => ReportEndpoints.Organizers(req.HttpContext));

    [Function("hotspotReport")]
    public Task<IActionResult> HotspotReport([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/reports/hotspots")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => ReportEndpoints.HotspotReport(req.HttpContext));

    [Function("rebuildProjections")]
    public Task<IActionResult> RebuildProjections([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/projections/rebuild")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => ReportEndpoints.Rebuild(req.HttpContext));

    /// <summary>The supervisors' dashboard page: anonymous like any static page; its data come from the staff API with the staff key.</summary>
    [Function("dashboard")]
    public static IActionResult Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest req) =>
        new ResultAction(DashboardEndpoints.Page(req.HttpContext));

    [Function("dashboardAsset")]
    public static IActionResult DashboardAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/assets/{file}")] HttpRequest req, string file) =>
        new ResultAction(DashboardEndpoints.Asset(req.HttpContext, file));

    // ---- Holiday schedules ----

    [Function("listCalendars")]
    public Task<IActionResult> ListCalendars([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/calendars")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => CalendarEndpoints.ListCalendars(req.HttpContext));

    [Function("getCalendar")]
    public Task<IActionResult> GetCalendar([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/calendars/{year}")] HttpRequest req, string year,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => CalendarEndpoints.GetCalendar(req.HttpContext, year));

    [Function("putCalendar")]
    public Task<IActionResult> PutCalendar([HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/calendars/{year}")] HttpRequest req, string year,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => CalendarEndpoints.PutCalendar(req.HttpContext, year));

    /// <summary>The platform staff's workbench page, anonymous like the dashboard; its queues come from the staff API.</summary>
    [Function("workbench")]
    public static IActionResult Workbench([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workbench")] HttpRequest req) =>
        new ResultAction(WorkbenchEndpoints.Page(req.HttpContext));

    [Function("workbenchAsset")]
    public static IActionResult WorkbenchAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workbench/assets/{file}")] HttpRequest req, string file) =>
        new ResultAction(WorkbenchEndpoints.Asset(req.HttpContext, file));

    [Function("workbenchMe")]
    public Task<IActionResult> WorkbenchMe([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/workbench/me")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => WorkbenchEndpoints.Me(req.HttpContext));

    [Function("workbenchQueues")]
    public Task<IActionResult> WorkbenchQueues([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/workbench/queues")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => WorkbenchEndpoints.Counts(req.HttpContext));

    [Function("workbenchQueue")]
    public Task<IActionResult> WorkbenchQueue([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/workbench/queues/{queue}")] HttpRequest req, string queue,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => WorkbenchEndpoints.List(req.HttpContext, queue));

    // ---- Organizer directory and routing ----

    [Function("listOrganizers")]
    public Task<IActionResult> ListOrganizers([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/organizers")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => DirectoryEndpoints.ListOrganizers(req.HttpContext));

    [Function("putOrganizer")]
    public Task<IActionResult> PutOrganizer([HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/organizers/{id}")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => DirectoryEndpoints.PutOrganizer(req.HttpContext, id));

    [Function("getRouting")]
    public Task<IActionResult> GetRouting([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/routing")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => DirectoryEndpoints.GetRouting(req.HttpContext));

    [Function("putRouting")]
    public Task<IActionResult> PutRouting([HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/routing")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => DirectoryEndpoints.PutRouting(req.HttpContext));

    [Function("previewRoute")]
    public Task<IActionResult> PreviewRoute([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/routing/route")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => DirectoryEndpoints.PreviewRoute(req.HttpContext));

    // ---- Knowledge base ----

    [Function("searchKnowledge")]
    public Task<IActionResult> SearchKnowledge([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/knowledge")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => KnowledgeEndpoints.SearchKnowledge(req.HttpContext));

    [Function("createKnowledgeArticle")]
    public Task<IActionResult> CreateArticle([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/knowledge")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => KnowledgeEndpoints.CreateArticle(req.HttpContext));

    [Function("knowledgeArticle")]
    public Task<IActionResult> Article([HttpTrigger(AuthorizationLevel.Function, "get", "put", "delete", Route = "api/knowledge/{id}")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => req.Method switch
        {
            "GET" => KnowledgeEndpoints.GetArticle(req.HttpContext, id),
            "PUT" => KnowledgeEndpoints.UpdateArticle(req.HttpContext, id),
            _ => KnowledgeEndpoints.RetireArticle(req.HttpContext, id),
        });

    [Function("suggestKnowledge")]
    public Task<IActionResult> SuggestKnowledge([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/matters/{id}/knowledge")] HttpRequest req, string id,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => KnowledgeEndpoints.SuggestForMatter(req.HttpContext, id));

    // ---- Organizers: the link is the credential ----

    [Function("organizerPage")]
    public Task<IActionResult> OrganizerPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "o/{token}")] HttpRequest req, string token,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => OrganizerEndpoints.Page(req.HttpContext, token));

    [Function("organizerAsset")]
    public static IActionResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{file}")] HttpRequest req, string file) =>
        new ResultAction(OrganizerEndpoints.Asset(req.HttpContext, file));

    [Function("organizerGetMatter")]
    public Task<IActionResult> OrganizerGet([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/o/{token}")] HttpRequest req, string token,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => OrganizerEndpoints.Get(req.HttpContext, token));

    [Function("organizerAct")]
    public Task<IActionResult> OrganizerAct(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/o/{token}/{action:regex(^(sign|return|contact|extension|termination|part)$)}")] HttpRequest req,
        string token, string action, [DurableClient] DurableTaskClient client) => Run(req, client, () => OrganizerEndpoints.Act(req.HttpContext, token, action));

    [Function("organizerReply")]
    public Task<IActionResult> OrganizerReply([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/o/{token}/reply")] HttpRequest req, string token,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => OrganizerEndpoints.Reply(req.HttpContext, token));

    [Function("organizerEvidenceUpload")]
    public Task<IActionResult> OrganizerEvidence([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/o/{token}/evidence")] HttpRequest req, string token,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => OrganizerEndpoints.GrantUpload(req.HttpContext, token));

    // ---- Open311 GeoReport v2 (its own api_key rules, so anonymous at the Functions level) ----
    // Every method, like the local host's Open311 fallback: what no Open311 route takes gets its Open311 "not found".

    [Function("open311")]
    public Task<IActionResult> Open311([HttpTrigger(AuthorizationLevel.Anonymous, Route = "open311/v2/{*path}")] HttpRequest req, string path,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => Open311Dispatch.HandleAsync(req.HttpContext, path));

    // ---- Operations ----

    [Function("health")]
    public Task<IActionResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => Run(req, client, () => HealthEndpoints.GetHealth(req.HttpContext));
}
