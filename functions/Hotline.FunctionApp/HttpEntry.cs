using Hotline.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Hotline.FunctionApp;

/// <summary>
/// The Function App's one HTTP function: every path and method goes through the same pipeline as the local host
/// (<see cref="HotlinePipeline.UseHotline"/>), so routes, keys, limits and problems are declared once. It is anonymous
/// at the platform level: the handlers check channel and staff keys (<c>Hotline:Keys</c>) as on the local host, the
/// organizer link is its own credential, and App Service authentication can front the staff routes.
/// </summary>
public sealed class HttpEntry(WorkerPipeline pipeline, DurableClientAccessor durable)
{
    public const string Name = "http";

    [Function(Name)]
    public async Task Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", "patch", "head", "options", Route = "{*path}")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        // The answer is written to the HttpContext by the pipeline, so the function returns no result of its own.
        using (durable.Bind(client))
        {
            await pipeline.InvokeAsync(req.HttpContext).ConfigureAwait(false);
        }
    }
}

/// <summary>The hotline's request pipeline over the worker's services, built once per worker on first use.</summary>
public sealed class WorkerPipeline(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() => new ApplicationBuilder(services).UseHotline().Build());

    public Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        // The worker's own routing matched the request to this catch-all function; forget that match, or endpoint
        // routing would skip matching and the handlers would see the catch-all's route values.
        http.SetEndpoint(null);
        http.Request.RouteValues.Clear();
        return _pipeline.Value(http);
    }
}
