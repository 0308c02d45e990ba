using System.Globalization;
using System.Text;

namespace Hotline.Storage.Blobs;

/// <summary>What a blob SAS allows. Only the few permissions the system hands out.</summary>
[Flags]
public enum BlobSasPermissions
{
    /// <summary>Nothing (invalid on its own).</summary>
    None = 0,

    /// <summary>r: read the blob's content and properties.</summary>
    Read = 1,

    /// <summary>c: create a new blob (not overwrite an existing one).</summary>
    Create = 2,

    /// <summary>w: write (create or overwrite) the blob.</summary>
    Write = 4,

    /// <summary>d: delete the blob.</summary>
    Delete = 8,
}

/// <summary>A key from Get User Delegation Key; its fields go into the SAS verbatim.</summary>
/// <param name="SignedObjectId">skoid: the Entra object id that requested the key.</param>
/// <param name="SignedTenantId">sktid: its tenant.</param>
/// <param name="SignedStartsOn">skt: key start, exactly as the service returned it.</param>
/// <param name="SignedExpiresOn">ske: key expiry, exactly as the service returned it.</param>
/// <param name="SignedService">sks: always "b".</param>
/// <param name="SignedVersion">skv: the REST version that issued the key.</param>
/// <param name="Value">The base64 HMAC key.</param>
public sealed record UserDelegationKey(
    string SignedObjectId, string SignedTenantId, string SignedStartsOn, string SignedExpiresOn, string SignedService, string SignedVersion, string Value)
{
    /// <summary>The key's expiry as a time.</summary>
    public DateTimeOffset ExpiresOn => DateTimeOffset.Parse(SignedExpiresOn, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <inheritdoc />
    public override string ToString() => $"UserDelegationKey({SignedObjectId}, until {SignedExpiresOn})";
}

/// <summary>
/// Blob-scoped (sr=b) shared access signatures, per "Create a service SAS" and "Create a user delegation
/// SAS" for signed version 2020-12-06 and later (we sign with <see cref="StorageClientOptions.ServiceVersion"/>).
/// </summary>
public static class BlobSas
{
    /// <summary>The sp value: permission letters in the order the service requires (r, c, w, d).</summary>
    public static string PermissionString(BlobSasPermissions permissions)
    {
        if (permissions == BlobSasPermissions.None || (permissions & ~(BlobSasPermissions.Read | BlobSasPermissions.Create | BlobSasPermissions.Write | BlobSasPermissions.Delete)) != 0)
        {
            throw new ArgumentException($"Unsupported SAS permissions {permissions}.", nameof(permissions));
        }
        var sb = new StringBuilder();
        if (permissions.HasFlag(BlobSasPermissions.Read)) sb.Append('r');
        if (permissions.HasFlag(BlobSasPermissions.Create)) sb.Append('c');
        if (permissions.HasFlag(BlobSasPermissions.Write)) sb.Append('w');
        if (permissions.HasFlag(BlobSasPermissions.Delete)) sb.Append('d');
        return sb.ToString();
    }

    /// <summary>SAS times: UTC, whole seconds, ISO 8601 with 'Z'.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"/blob/{account}/{container}/{blob}", the blob name unescaped.</summary>
    public static string CanonicalResource(string accountName, string containerName, string blobName) =>
        $"/blob/{accountName}/{containerName}/{blobName}";

    /// <summary>
    /// Service SAS string-to-sign (version 2020-12-06 and later): sp, st, se, canonicalizedResource, si,
    /// sip, spr, sv, sr, snapshot time, ses, rscc, rscd, rsce, rscl, rsct — unused fields empty.
    /// </summary>
    public static string ServiceSasStringToSign(string permissions, string startsOn, string expiresOn, string canonicalResource, string version) =>
        string.Join('\n',
            permissions, startsOn, expiresOn, canonicalResource,
            "", // si: no stored access policy
            "", // sip
            "", // spr: any protocol the account allows
            version,
            "b", // sr: one blob
            "", // snapshot time
            "", // ses: encryption scope
            "", "", "", "", ""); // rscc, rscd, rsce, rscl, rsct

    /// <summary>
    /// User delegation SAS string-to-sign (version 2020-12-06 up to 2025-07-05): sp, st, se,
    /// canonicalizedResource, skoid, sktid, skt, ske, sks, skv, saoid, suoid, scid, sip, spr, sv, sr,
    /// snapshot time, ses, rscc, rscd, rsce, rscl, rsct.
    /// </summary>
    public static string UserDelegationSasStringToSign(string permissions, string startsOn, string expiresOn, string canonicalResource, UserDelegationKey key, string version)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Join('\n',
            permissions, startsOn, expiresOn, canonicalResource,
            key.SignedObjectId, key.SignedTenantId, key.SignedStartsOn, key.SignedExpiresOn, key.SignedService, key.SignedVersion,
            "", "", "", // saoid, suoid, scid
            "", "", // sip, spr
            version,
            "b",
            "", "", // snapshot time, ses
            "", "", "", "", ""); // rscc, rscd, rsce, rscl, rsct
    }

    /// <summary>A service SAS query (no leading '?') signed with the account key.</summary>
    public static string ServiceSasQuery(StorageSharedKey key, string containerName, string blobName, BlobSasPermissions permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sp = PermissionString(permissions);
        var st = startsOn is { } s ? FormatTime(s) : "";
        var se = FormatTime(expiresOn);
        var version = StorageClientOptions.ServiceVersion;
        var signature = key.Sign(ServiceSasStringToSign(sp, st, se, CanonicalResource(key.AccountName, containerName, blobName), version));
        return Query(
            ("sv", version), ("st", st), ("se", se), ("sr", "b"), ("sp", sp), ("sig", signature));
    }

    /// <summary>A user delegation SAS query (no leading '?') signed with a key from Get User Delegation Key.</summary>
    public static string UserDelegationSasQuery(UserDelegationKey key, string accountName, string containerName, string blobName, BlobSasPermissions permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sp = PermissionString(permissions);
        var st = startsOn is { } s ? FormatTime(s) : "";
        var se = FormatTime(expiresOn);
        var version = StorageClientOptions.ServiceVersion;
        var stringToSign = UserDelegationSasStringToSign(sp, st, se, CanonicalResource(accountName, containerName, blobName), key, version);
        var signature = StorageSharedKey.Sign(Convert.FromBase64String(key.Value), stringToSign);
        return Query(
            ("sv", version), ("st", st), ("se", se), ("sr", "b"), ("sp", sp),
            ("skoid", key.SignedObjectId), ("sktid", key.SignedTenantId), ("skt", key.SignedStartsOn), ("ske", key.SignedExpiresOn),
            ("sks", key.SignedService), ("skv", key.SignedVersion), ("sig", signature));
    }

    private static string Query(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Where(p => p.Value.Length > 0).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
}
