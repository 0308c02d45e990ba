using Microsoft.AspNetCore.Routing;

namespace Hotline.Api;

/// <summary>
/// Every route both hosts serve, in one place: the local host maps these, and the Function App's HTTP triggers
/// must cover exactly the same (tests/Hotline.FunctionApp.Tests/RouteParityTests fails otherwise). The OpenAPI
/// document and the Development clock are the local host's own.
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
        app.MapDashboard();
        app.MapWorkbenchApi();
        app.MapReportApi();
        app.MapLongTermApi();
        return app;
    }
}
