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
    private readonly PartitionedRateLimiter<string> _failures;

    public RateLimits(int perKeyPerMinute, int perLinkPerMinute, int failedAuthenticationsPerMinute = 30)
    {
        FailedAuthenticationsPerMinute = failedAuthenticationsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failedAuthenticationsPerMinute,
            Window = FailureWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
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

    public int FailedAuthenticationsPerMinute { get; }

    private static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the client's address has spent its budget of failed authentications (wrong or missing keys, unknown
    /// links) for this minute: then every key it sends is refused unread, so that guessing cannot go on, and a right
    /// guess among wrong ones is not told apart either. Null when the client may try.
    /// </summary>
    public IResult? Blocked(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return _failures.GetStatistics(Address(http)) is { CurrentAvailablePermits: <= 0 } ? TooManyFailures(http) : null;
    }

    /// <summary>Counts one failed authentication of the client's address; the 429 when that spent the budget, else null.</summary>
    public IResult? Failed(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var lease = _failures.AttemptAcquire(Address(http));
        return lease.IsAcquired ? null : TooManyFailures(http);
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private IResult TooManyFailures(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ((int)FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(title: "Too many failed authentications.",
            detail: $"More than {FailedAuthenticationsPerMinute} requests from this address carried a wrong key or link within a minute; try again later.",
            statusCode: StatusCodes.Status429TooManyRequests, type: Problems.TypeBase + "rate-limited");
    }

    /// <summary>Takes one request from the partition's budget; null when allowed, else the 429 problem.</summary>
    public IResult? Take(HttpContext http, string partition)
    {
        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired) return null;
        http.Response.Headers.RetryAfter = "60";
        return Results.Problem(title: "Too many requests.", detail: "The budget of this key or link is spent for this minute; try again shortly.",
            statusCode: StatusCodes.Status429TooManyRequests, type: Problems.TypeBase + "rate-limited");
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _failures.Dispose();
    }
}
