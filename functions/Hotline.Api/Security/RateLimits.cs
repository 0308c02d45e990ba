using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Hotline.Api.Security;

/// <summary>
/// Request budgets per channel system, per staff member and per organizer link, enforced inside the handlers so the
/// local host and the Azure Functions host apply the same limits (the Functions host runs no ASP.NET middleware).
/// </summary>
public sealed class RateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public RateLimits(int perKeyPerMinute, int perLinkPerMinute)
    {
        PerKeyPerMinute = perKeyPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, p =>
        {
            var limit = p.StartsWith("link:", StringComparison.Ordinal) ? perLinkPerMinute : perKeyPerMinute;
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit,
                TokensPerPeriod = limit,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
        }));
    }

    public int PerKeyPerMinute { get; }

    /// <summary>Takes one request from the partition's budget; null when allowed, else the 429 problem.</summary>
    public IResult? Take(HttpContext http, string partition)
    {
        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired) return null;
        http.Response.Headers.RetryAfter = "60";
        return Results.Problem(title: "Too many requests.", detail: "The budget of this key or link is spent for this minute; try again shortly.",
            statusCode: StatusCodes.Status429TooManyRequests, type: Problems.TypeBase + "rate-limited");
    }

    public void Dispose() => _limiter.Dispose();
}
