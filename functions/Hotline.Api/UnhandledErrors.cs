using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hotline.Api;

/// <summary>
/// What a request that fails unexpectedly answers, in both hosts: a 500 problem with a trace id to quote to operations,
/// and nothing else. No exception text and no request headers (they carry callers' keys), not even in Development,
/// where ASP.NET's developer page would otherwise echo both. The log line has the exception and the route, no body.
/// </summary>
public static partial class UnhandledErrors
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {Method} {Route} (trace {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string route, string traceId);

    public static IResult Problem(HttpContext http, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        var traceId = Activity.Current?.Id ?? http.TraceIdentifier;
        if (http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Hotline.Api.Unhandled") is { } logger)
            LogUnhandled(logger, exception, http.Request.Method, http.GetEndpoint()?.DisplayName ?? "unrouted", traceId);
        return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The request failed unexpectedly.",
            type: Problems.TypeBase + "unexpected", detail: "Quote the trace id to the operators of the hotline.",
            extensions: new Dictionary<string, object?> { ["traceId"] = traceId });
    }

    /// <summary>The pipeline's first middleware (<see cref="HotlinePipeline.UseHotline"/>, both hosts), so it catches before the developer exception page.</summary>
    public static IApplicationBuilder UseHotlineErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async http =>
            {
                var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error ?? new InvalidOperationException("unknown failure");
                await Problem(http, exception).ExecuteAsync(http).ConfigureAwait(false);
            },
        });
}
