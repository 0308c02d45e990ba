using Microsoft.AspNetCore.Http;

namespace Hotline.Api;

/// <summary>
/// Routes one Open311 path (e.g. "services/water-supply.json") to its handler, setting the route values the handlers
/// read. The local host routes with endpoint routing; the Azure Functions host has one catch-all function and calls
/// this, so both serve the same handlers.
/// </summary>
public static class Open311Dispatch
{
    public static Task<IResult> HandleAsync(HttpContext http, string? path)
    {
        var (resource, format) = SplitFormat(path ?? "");
        if (format is not null) http.Request.RouteValues["format"] = format;
        var parts = resource.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var get = HttpMethods.IsGet(http.Request.Method);
        var post = HttpMethods.IsPost(http.Request.Method);
        return (parts, get, post) switch
        {
            (["discovery"], true, _) => Open311Endpoints.GetDiscovery(http),
            (["services"], true, _) => Open311Endpoints.GetServices(http),
            (["services", var code], true, _) => With(http, "code", code, Open311Endpoints.GetServiceDefinition),
            (["requests"], true, _) => Open311Endpoints.GetRequests(http),
            (["requests"], _, true) => Open311Endpoints.PostRequest(http),
            (["requests", var id], true, _) => With(http, "id", id, Open311Endpoints.GetRequest),
            (["tokens", var token], true, _) => With(http, "token", token, Open311Endpoints.GetToken),
            _ => Open311Endpoints.NotFound(http),
        };
    }

    private static Task<IResult> With(HttpContext http, string name, string value, Func<HttpContext, Task<IResult>> handler)
    {
        http.Request.RouteValues[name] = value;
        return handler(http);
    }

    /// <summary>"requests/123.xml" → ("requests/123", "xml"); the format is the last segment's suffix.</summary>
    public static (string Resource, string? Format) SplitFormat(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return dot > slash ? (path[..dot], path[(dot + 1)..]) : (path, null);
    }
}
