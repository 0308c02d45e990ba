using Hotline.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public static class ApiServices
{
    /// <summary>JSON conventions, keys, problem details and rate limits, the same for both hosts.</summary>
    public static IServiceCollection AddHotlineApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddSingleton(ApiKeys.FromConfiguration(configuration));
        services.AddSingleton(PlatformAuthentication.FromConfiguration(configuration));
        services.AddRateLimiter(_ => { }); // endpoint-specific limiters of the Open311 surface
        services.AddSingleton(new RateLimits(
            configuration.GetValue("Hotline:RateLimit:PerMinute", 600),
            configuration.GetValue("Hotline:RateLimit:PerLinkPerMinute", 120),
            configuration.GetValue("Hotline:RateLimit:FailedAuthenticationsPerMinute", 30)));
        return services;
    }
}
