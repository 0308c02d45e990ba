using System.Security.Cryptography;
using System.Text;
using Hotline.Orchestrations.Lifecycle;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Hotline.Api.Security;

public enum KeyRole { Channel, Staff }

/// <summary>
/// A caller identified by its key (a channel system or a staff member) or, for staff, by the platform's sign-in. A
/// staff key carries every staff role: it is the local and operators' credential.
/// </summary>
public sealed record Caller(KeyRole Role, string Name, StaffRoles Roles = StaffRoles.None)
{
    public Actor Actor => Role == KeyRole.Staff ? Actor.Staff(Name) : Actor.ChannelSystem(Name);
}

/// <summary>
/// Keys per channel system and per staff member, sent as <c>x-functions-key</c> like Azure Functions keys. The
/// configuration holds only their SHA-256 hashes (<c>Hotline:Keys:Channels:{name}</c>, <c>Hotline:Keys:Staff:{name}</c>),
/// so configuration files and app settings never hold a usable key.
/// </summary>
public sealed class ApiKeys
{
    public const string Header = "x-functions-key";

    private readonly Dictionary<string, Caller> _byHash = new(StringComparer.OrdinalIgnoreCase);

    public ApiKeys(IEnumerable<(KeyRole Role, string Name, string Sha256)> keys)
    {
        foreach (var (role, name, hash) in keys)
        {
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw new FormatException($"The key hash of {role} '{name}' must be 64 hex digits (SHA-256).");
            _byHash[hash] = new Caller(role, name, role == KeyRole.Staff ? StaffRoles.All : StaffRoles.None);
        }
    }

    public static ApiKeys FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Hotline:Keys");
        IEnumerable<(KeyRole, string, string)> Read(string name, KeyRole role) =>
            section.GetSection(name).GetChildren().Where(c => !string.IsNullOrEmpty(c.Value)).Select(c => (role, c.Key, c.Value!));
        return new ApiKeys(Read("Channels", KeyRole.Channel).Concat(Read("Staff", KeyRole.Staff)));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public Caller? Identify(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0])
            ? _byHash.GetValueOrDefault(Hash(values[0]!))
            : null;
}
