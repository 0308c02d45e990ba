using System.Threading.RateLimiting;
using Hotline.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public static class ApiServices
{
    public const string PerKeyPolicy = "per-key";

    /// <summary>JSON conventions, keys, problem details and per-key rate limits for both hosts.</summary>
    public static IServiceCollection AddHotlineApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddSingleton(ApiKeys.FromConfiguration(configuration));
        var permitsPerMinute = configuration.GetValue("Hotline:RateLimit:PerMinute", 600);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Partitioned by the key's hash: each channel system and staff member has its own budget.
            o.AddPolicy(PerKeyPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Request.Headers.TryGetValue(ApiKeys.Header, out var key) ? ApiKeys.Hash(key.ToString()) : "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = permitsPerMinute,
                    TokensPerPeriod = permitsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Results.Problem(title: "Too many requests for this key.", detail: $"At most {permitsPerMinute} requests a minute.",
                    statusCode: StatusCodes.Status429TooManyRequests, type: Problems.TypeBase + "rate-limited").ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });
        return services;
    }
}
