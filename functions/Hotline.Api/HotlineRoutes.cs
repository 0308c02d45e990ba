using Microsoft.AspNetCore.Routing;

namespace Hotline.Api;

/// <summary>
/// Every route both hosts serve, in one place, mapped by <see cref="HotlinePipeline.UseHotline"/>: the local host runs
/// that pipeline on Kestrel and the Function App inside its one HTTP function (tests/Hotline.FunctionApp.Tests/HttpEntryTests
/// calls every route through both). The OpenAPI document and the Development clock are the local host's own.
/// </summary>
public static class HotlineRoutes
{
    public static IEndpointRouteBuilder MapHotline(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        app.MapDirectoryApi();
        app.MapCalendarApi();
        app.MapOrganizerApi();
        app.MapSupervisionApi();
        app.MapMatterApi();
        app.MapOpen311Api();
        app.MapKnowledgeApi();
        app.MapKnowledgeProposalApi();
        app.MapDashboard();
        app.MapWorkbenchApi();
        app.MapReportApi();
        app.MapLongTermApi();
        return app;
    }
}
