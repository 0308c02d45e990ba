using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api.Security;

internal static class Access
{
    /// <summary>
    /// Identifies the caller (by key, or as staff signed in through the platform) and checks its role, and for staff
    /// the app role <paramref name="need"/>; the problem is the answer when it is not allowed.
    /// </summary>
    public static (Caller? Caller, IResult? Problem) Authorize(HttpContext http, KeyRole[] roles, StaffRoles need = StaffRoles.None)
    {
        var limits = http.RequestServices.GetRequiredService<RateLimits>();
        if (limits.Blocked(http) is { } blocked) return (null, blocked);
        var caller = http.RequestServices.GetRequiredService<ApiKeys>().Identify(http.Request)
            ?? http.RequestServices.GetService<PlatformAuthentication>()?.Identify(http.Request);
        if (caller is null) return (null, limits.Failed(http) ?? Problems.Unauthorized());
        if (limits.Take(http, $"{caller.Role}:{caller.Name}") is { } limited) return (null, limited);
        if (!roles.Contains(caller.Role)) return (null, Problems.Forbidden($"This route is not for {caller.Role.ToString().ToLowerInvariant()} keys."));
        if (caller.Role == KeyRole.Staff && (caller.Roles == StaffRoles.None || !caller.Roles.Allows(need)))
        {
            return (null, Problems.Forbidden(need == StaffRoles.None
                ? "You have no hotline staff role (dispatcher, reviewer or supervisor)."
                : $"This needs the {need.ToString().ToLowerInvariant()} or supervisor role."));
        }
        return (caller, null);
    }

    public static (Caller? Caller, IResult? Problem) Authorize(HttpContext http, params KeyRole[] roles) => Authorize(http, roles, StaffRoles.None);
}
