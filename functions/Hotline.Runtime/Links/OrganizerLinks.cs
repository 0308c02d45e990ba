using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;

namespace Hotline.Runtime.Links;

/// <summary>What a valid organizer link grants: one organizer unit's access to one matter.</summary>
public sealed record LinkGrant(string MatterId, string Organizer, DateTimeOffset ExpiresAt);

/// <summary>
/// Organizer links are short random capability tokens (128 bits) scoped to one matter and one unit. Only a hash of
/// the token is stored, so a leaked table does not leak working links. A link also stops working when the matter
/// leaves the unit or closes; the pages check that against the matter itself.
/// </summary>
public sealed class OrganizerLinks(TableClient links, TimeProvider clock, RuntimeOptions options)
{
    public async Task<Uri> IssueAsync(string matterId, string organizer, string issuedFor, CancellationToken cancellationToken = default)
    {
        var token = Base64UrlToken(RandomNumberGenerator.GetBytes(16));
        var hash = Hash(token);
        await links.AddEntityAsync(new TableEntity(hash[..2], hash)
        {
            ["MatterId"] = matterId,
            ["Organizer"] = organizer,
            ["ExpiresAt"] = clock.GetUtcNow() + options.LinkLifetime,
            ["Revoked"] = false,
            ["IssuedFor"] = issuedFor,
        }, cancellationToken).ConfigureAwait(false);
        return new Uri(options.PublicBaseUri, "o/" + token);
    }

    /// <summary>The grant of a token, or null when it is unknown, expired or revoked.</summary>
    public async Task<LinkGrant?> ResolveAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        var hash = Hash(token);
        var row = await links.GetEntityIfExistsAsync<TableEntity>(hash[..2], hash, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value!.GetBoolean("Revoked") == true) return null;
        var grant = new LinkGrant(row.Value.GetString("MatterId")!, row.Value.GetString("Organizer")!, row.Value.GetDateTimeOffset("ExpiresAt")!.Value);
        return grant.ExpiresAt > clock.GetUtcNow() ? grant : null;
    }

    public async Task RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        await links.UpdateEntityAsync(new TableEntity(hash[..2], hash) { ["Revoked"] = true }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static string Base64UrlToken(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
