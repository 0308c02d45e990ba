using Microsoft.AspNetCore.Http;

namespace Hotline.Api;

/// <summary>The staff pages' files, embedded in this assembly, and how their scripts and styles are served.</summary>
internal static class EmbeddedPages
{
    public static string? Read(string resourcePrefix, string name)
    {
        using var stream = typeof(EmbeddedPages).Assembly.GetManifestResourceStream(resourcePrefix + name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A page's script or style sheet: its declared type only, never cached, no referrer; anything else 404.</summary>
    public static IResult Asset(HttpContext http, string resourcePrefix, string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".css" => "text/css",
            ".js" => "text/javascript",
            _ => null,
        };
        if (type is null || Read(resourcePrefix, file) is not { } text) return Results.NotFound();
        Security.SecurityHeaders.NoSniff(http.Response);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(text, type, System.Text.Encoding.UTF8);
    }
}
