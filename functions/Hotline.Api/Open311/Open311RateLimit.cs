using System.Net;
using System.Threading.RateLimiting;
using Hotline.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Hotline.Api.Open311;

/// <summary>
/// Per-client budgets for the Open311 routes. Civic apps send their key as the api_key parameter, which the hotline's
/// per-key policy (x-functions-key only) cannot see, so this policy also reads the query's api_key; reads without a key
/// and form posts (whose key is in the body, unreadable before the request runs) are budgeted per client address.
/// </summary>
internal sealed class Open311RateLimit(int permitsPerMinute) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, _) =>
    {
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = "60";
        // 429 rather than the spec's catch-all 400: a client told "bad request" would not try again later.
        await Open311Endpoints.Errors(StatusCodes.Status429TooManyRequests, Open311Formats.ForErrors(http.Request),
            $"Too many requests: at most {permitsPerMinute} a minute per client. Try again in a minute.").ExecuteAsync(http).ConfigureAwait(false);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var key = request.Headers.TryGetValue(ApiKeys.Header, out var header) && !string.IsNullOrEmpty(header) ? header.ToString()
            : request.Query["api_key"].ToString();
        var partition = key.Length > 0 ? "key:" + ApiKeys.Hash(key) : "ip:" + (httpContext.Connection.RemoteIpAddress ?? IPAddress.None);
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permitsPerMinute,
            TokensPerPeriod = permitsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
