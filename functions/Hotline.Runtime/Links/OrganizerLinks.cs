using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;

namespace Hotline.Runtime.Links;

/// <summary>What a valid organizer link grants: one organizer unit's access to one matter.</summary>
public sealed record LinkGrant(string MatterId, string Organizer, DateTimeOffset ExpiresAt);

/// <summary>
/// Organizer links are short random capability tokens (128 bits) scoped to one matter and one unit. Only a hash of
/// the token is stored, so a leaked table does not leak working links. Each unit keeps a register of the links sent
/// to it (partition <c>unit-{organizer}</c>), so that links are revoked when the matter leaves the unit or closes
/// and when the unit's handler or leader changes; the pages also check the matter itself.
/// </summary>
public sealed class OrganizerLinks(TableClient links, TimeProvider clock, RuntimeOptions options)
{
    /// <summary>
    /// A new link for <paramref name="recipient"/> (the unit's "handler" or "leader") of <paramref name="organizer"/>.
    /// Its entry in the unit's register is written first, so that no working link exists that revocation cannot find.
    /// </summary>
    public async Task<Uri> IssueAsync(string matterId, string organizer, string issuedFor, string recipient = HandlerRecipient, CancellationToken cancellationToken = default)
    {
        var token = Base64UrlToken(RandomNumberGenerator.GetBytes(16));
        var hash = Hash(token);
        await links.UpsertEntityAsync(new TableEntity(RegisterPartition(organizer), RegisterRow(matterId, hash))
        {
            ["Hash"] = hash,
            ["Recipient"] = recipient,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
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

    public async Task RevokeAsync(string token, CancellationToken cancellationToken = default) => await RevokeHashAsync(Hash(token), cancellationToken).ConfigureAwait(false);

    /// <summary>Revokes every link of <paramref name="organizer"/> to the matter: it left the unit or closed. Idempotent.</summary>
    public Task<int> RevokeForMatterAsync(string matterId, string organizer, CancellationToken cancellationToken = default)
    {
        var first = matterId + "_";
        var last = matterId + (char)('_' + 1);
        return RevokeRegisteredAsync(organizer,
            TableClient.CreateQueryFilter($"PartitionKey eq {RegisterPartition(organizer)} and RowKey ge {first} and RowKey lt {last}"), cancellationToken);
    }

    /// <summary>Revokes every link sent to the unit's <paramref name="recipient"/>: that person changed. Idempotent.</summary>
    public Task<int> RevokeForRecipientAsync(string organizer, string recipient, CancellationToken cancellationToken = default) =>
        RevokeRegisteredAsync(organizer, TableClient.CreateQueryFilter($"PartitionKey eq {RegisterPartition(organizer)} and Recipient eq {recipient}"), cancellationToken);

    public const string HandlerRecipient = "handler";

    public const string LeaderRecipient = "leader";

    private async Task<int> RevokeRegisteredAsync(string organizer, string filter, CancellationToken cancellationToken)
    {
        var registered = new List<TableEntity>();
        await foreach (var row in links.QueryAsync<TableEntity>(filter, select: ["RowKey", "Hash"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            registered.Add(row);
        }
        foreach (var row in registered)
        {
            // The link first, its register entry after: an interrupted revocation is found again and finished by a retry.
            await RevokeHashAsync(row.GetString("Hash")!, cancellationToken).ConfigureAwait(false);
            await links.DeleteEntityAsync(RegisterPartition(organizer), row.RowKey, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
        }
        return registered.Count;
    }

    // A merge that also works when the link row was never written (its issue failed after the register entry): a row
    // holding only Revoked=true resolves to nothing.
    private async Task RevokeHashAsync(string hash, CancellationToken cancellationToken) =>
        await links.UpsertEntityAsync(new TableEntity(hash[..2], hash) { ["Revoked"] = true }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);

    // Link rows live in 256 partitions named by two hex digits; the register's partitions cannot collide with them.
    private static string RegisterPartition(string organizer) => "unit-" + organizer;

    private static string RegisterRow(string matterId, string hash) => matterId + "_" + hash;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static string Base64UrlToken(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
