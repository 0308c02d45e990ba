using System.Globalization;
using Hotline.Orchestrations.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>
/// The supervisors' dashboard (<c>GET /dashboard</c>): plain HTML, CSS and JavaScript embedded in this assembly, no
/// build step and no third-party code. The page itself is public and holds no data; it asks for a staff key and
/// calls the staff APIs (supervision list, organizer and hotspot reports) with it. The server's clock is written into
/// the page so its default period ("the last 30 days") follows the server, which in Development may have been moved.
/// </summary>
public static class DashboardEndpoints
{
    private const string ResourcePrefix = "Hotline.Dashboard.";
    private const string NowPlaceholder = "{{SERVER_NOW}}";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (Func<HttpContext, IResult>)Page).ExcludeFromDescription();
        app.MapGet("/dashboard/assets/{file}", (Func<HttpContext, string, IResult>)Asset).ExcludeFromDescription();
        return app;
    }

    public static IResult Page(HttpContext http)
    {
        var html = Read("dashboard.html");
        if (html is null) return Results.NotFound();
        var now = ChinaTime.ToChina(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        Security.SecurityHeaders.Page(http.Response);
        return Results.Content(html.Replace(NowPlaceholder, now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "text/html", System.Text.Encoding.UTF8);
    }

    public static IResult Asset(HttpContext http, string file) => EmbeddedPages.Asset(http, ResourcePrefix, file);

    private static string? Read(string name) => EmbeddedPages.Read(ResourcePrefix, name);
}
