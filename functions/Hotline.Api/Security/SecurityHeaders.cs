using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hotline.Api.Security;

/// <summary>
/// The response headers that keep browsers from misusing what the hotline serves. The handlers set the ones their
/// answers need (pages, personal data), so both hosts send them; <see cref="UseHotlineHeaders"/> adds what every
/// response of the local host carries.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The pages' policy: their own scripts and styles only (there is no inline script), uploads straight to Blob
    /// Storage (another origin, hence connect-src https:), never inside a frame. The pages' own meta policies narrow
    /// it further; frame-ancestors works only as a header.
    /// </summary>
    public const string PagePolicy = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self' https: http:; " +
                                     "base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The staff workbench shows evidence photos straight from Blob Storage through their short-lived links, so its
    /// images may come from the storage account's origin; everything else is as on the other pages.
    /// </summary>
    public const string StaffPagePolicy = "default-src 'self'; img-src 'self' blob: data: http: https:; media-src 'self' blob: http: https:; connect-src 'self'; " +
                                          "base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

    /// <summary>An HTML page: its content policy, no framing, no sniffing, no referrer, not cached.</summary>
    public static void Page(HttpResponse response, string policy = PagePolicy)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = policy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        NoSniff(response);
        Personal(response);
    }

    /// <summary>A static asset of a page: its declared type only.</summary>
    public static void NoSniff(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>An answer carrying personal data (a citizen's name or phone): no cache may keep it.</summary>
    public static void Personal(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>
    /// nosniff on every answer, the page headers on any HTML answer, and RFC 9457 problem JSON for the framework's own
    /// bodiless answers (404 on an unknown path, 405 on a wrong method, 415). Call before the endpoints run.
    /// </summary>
    public static IApplicationBuilder UseHotlineHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var response = http.Response;
                NoSniff(response);
                if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true && response.Headers.ContentSecurityPolicy.Count == 0)
                    Page(response);
                return Task.CompletedTask;
            });
            return next(http);
        });
        // With problem details registered (AddHotlineApi), the status code pages write problem JSON.
        app.UseStatusCodePages();
        return app;
    }
}
