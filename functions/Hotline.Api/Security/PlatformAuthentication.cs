using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Hotline.Api.Security;

/// <summary>The platform staff's app roles (Entra ID app roles of the Function App's registration).</summary>
[Flags]
public enum StaffRoles
{
    None = 0,

    /// <summary>Dispatches, rejects, answers and merges matters; decides organizers' returns (the dispatch and return queues).</summary>
    Dispatcher = 1,

    /// <summary>Decides extensions and reviews replies (the extension and reply queues).</summary>
    Reviewer = 2,

    /// <summary>Decides terminations and supervision, and may do everything a dispatcher or reviewer does.</summary>
    Supervisor = 4,

    All = Dispatcher | Reviewer | Supervisor,
}

public static class StaffRoleRules
{
    /// <summary>A supervisor may take any staff decision; otherwise the caller needs the role named.</summary>
    public static bool Allows(this StaffRoles have, StaffRoles need) => need == StaffRoles.None || (have & (need | StaffRoles.Supervisor)) != 0;
}

/// <summary>
/// Staff signed in through App Service authentication (the Function App's built-in Entra ID sign-in). The platform
/// puts the signed-in principal in <c>X-MS-CLIENT-PRINCIPAL</c> and strips that header from outside requests, but only
/// when authentication is on; App Service then sets <c>WEBSITE_AUTH_ENABLED=True</c>. Without it (the local host, or
/// authentication switched off) the header is anybody's to forge, so it is not read at all.
/// </summary>
public sealed class PlatformAuthentication(bool enabled)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    private const string DefaultRoleType = "roles";
    private static readonly string[] NameTypes =
        ["preferred_username", "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "http://schemas.microsoft.com/identity/claims/objectidentifier"];

    public bool Enabled => enabled;

    public static PlatformAuthentication FromConfiguration(IConfiguration configuration) =>
        new(string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase));

    /// <summary>The signed-in staff member, with the roles the app registration gave them; null when nobody is (or may be) signed in.</summary>
    public Caller? Identify(HttpRequest request)
    {
        if (!enabled || !request.Headers.TryGetValue(PrincipalHeader, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0])) return null;
        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(values[0]!));
            var root = json.RootElement;
            var nameType = root.TryGetProperty("name_typ", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var roleType = root.TryGetProperty("role_typ", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? DefaultRoleType : DefaultRoleType;
            var claims = root.TryGetProperty("claims", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Select(x => (Type: Str(x, "typ"), Value: Str(x, "val"))).Where(x => x.Type is not null && !string.IsNullOrEmpty(x.Value)).ToArray()
                : [];
            string? Claim(string? type) => type is null ? null : claims.FirstOrDefault(x => string.Equals(x.Type, type, StringComparison.Ordinal)).Value;
            var name = Claim(nameType) ?? NameTypes.Select(Claim).FirstOrDefault(v => v is not null);
            if (string.IsNullOrWhiteSpace(name)) return null;
            var roles = claims.Where(x => x.Type == roleType || x.Type == DefaultRoleType).Aggregate(StaffRoles.None, (all, x) => all | Role(x.Value!));
            return new Caller(KeyRole.Staff, name.Length > 128 ? name[..128] : name, roles);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static StaffRoles Role(string value) => value.ToLowerInvariant() switch
    {
        "dispatcher" => StaffRoles.Dispatcher,
        "reviewer" => StaffRoles.Reviewer,
        "supervisor" => StaffRoles.Supervisor,
        _ => StaffRoles.None,
    };

    /// <summary>The header as App Service writes it (for tests and tools).</summary>
    public static string Encode(string name, params string[] roles) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            name_typ = "preferred_username",
            role_typ = DefaultRoleType,
            claims = roles.Select(r => new { typ = DefaultRoleType, val = r }).Prepend(new { typ = "preferred_username", val = name }),
        })));
}
