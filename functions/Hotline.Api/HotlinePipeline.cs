using Hotline.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Api;

/// <summary>
/// The request pipeline both hosts run, declared once: unexpected failures as a 500 problem, the security headers
/// and problem JSON for the framework's own answers, routing, the rate limiter, and <see cref="HotlineRoutes.MapHotline"/>.
/// The local host runs it on Kestrel; the Function App runs it inside its one catch-all HTTP trigger.
/// </summary>
public static class HotlinePipeline
{
    /// <param name="hostRoutes">Routes only one host serves (the local host's OpenAPI document and Development clock).</param>
    public static IApplicationBuilder UseHotline(this IApplicationBuilder app, Action<IEndpointRouteBuilder>? hostRoutes = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHotlineErrors();
        app.UseHotlineHeaders();
        app.UseRouting();
        // After routing: the limiters are per endpoint (Open311, the organizer links).
        app.UseRateLimiter();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapHotline();
            hostRoutes?.Invoke(endpoints);
        });
        return app;
    }
}
