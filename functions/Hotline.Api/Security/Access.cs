using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api.Security;

internal static class Access
{
    /// <summary>Identifies the caller by key and checks its role; the problem is the answer when it is not allowed.</summary>
    public static (Caller? Caller, IResult? Problem) Authorize(HttpContext http, params KeyRole[] roles)
    {
        var limits = http.RequestServices.GetRequiredService<RateLimits>();
        if (limits.Blocked(http) is { } blocked) return (null, blocked);
        var caller = http.RequestServices.GetRequiredService<ApiKeys>().Identify(http.Request);
        if (caller is null) return (null, limits.Failed(http) ?? Problems.Unauthorized());
        if (limits.Take(http, $"{caller.Role}:{caller.Name}") is { } limited) return (null, limited);
        return roles.Contains(caller.Role)
            ? (caller, null)
            : (null, Problems.Forbidden($"This route is not for {caller.Role.ToString().ToLowerInvariant()} keys."));
    }
}
