using Hotline.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public static class ApiServices
{
    /// <summary>JSON conventions, keys, problem details and rate limits, the same for both hosts.</summary>
    public static IServiceCollection AddHotlineApi(this IServiceCollection services, IConfiguration configuration, RateLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddSingleton(ApiKeys.FromConfiguration(configuration));
        services.AddSingleton(PlatformAuthentication.FromConfiguration(configuration));
        services.AddRateLimiter(_ => { }); // endpoint-specific limiters of the Open311 surface
        services.AddSingleton(new RateLimits(limits.PerMinute, limits.PerLinkPerMinute, limits.FailedAuthenticationsPerMinute));
        return services;
    }
}
