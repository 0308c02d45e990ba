using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Runtime.Evidence;

/// <summary>What organizers may upload as evidence with a reply (Fujian 18: photos or videos).</summary>
public sealed record EvidenceLimits(IReadOnlyList<string> ContentTypes, long MaxPhotoBytes, long MaxVideoBytes, int MaxFiles)
{
    public static readonly EvidenceLimits Default = new(
        ["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "video/mp4", "video/quicktime", "video/webm"],
        MaxPhotoBytes: 10 * 1024 * 1024, MaxVideoBytes: 50 * 1024 * 1024, MaxFiles: 9);

    public bool Allows(string contentType) => ContentTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase);

    public long MaxBytes(string contentType) => contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? MaxVideoBytes : MaxPhotoBytes;
}

public sealed record UploadGrant(string Blob, Uri UploadUrl, DateTimeOffset ExpiresAt, IReadOnlyDictionary<string, string> Headers);

public sealed record EvidenceLink(string Blob, string ContentType, long Bytes, Uri Url, DateTimeOffset ExpiresAt);

/// <summary>Why a piece of evidence named in a reply cannot be taken.</summary>
public sealed class EvidenceRejectedException(string message) : Exception(message);

/// <summary>
/// Photo and video evidence in Blob Storage (container <c>evidence</c>, one folder per matter). Browsers upload
/// straight to storage with a short-lived SAS for one new blob; the server checks each blob's type and size when
/// the reply names it, and staff read evidence through short-lived read links. SAS times come from the real clock
/// (<paramref name="realTime"/>, the system clock by default): storage checks them against real time, whatever
/// the development clock says.
/// </summary>
/// <remarks>
/// With an account key (Azurite) each link is a service SAS signed with it. On Entra ID (production, where shared
/// keys are off) it is a user-delegation SAS: one delegation key serves every link that expires before it does,
/// and a new one is fetched before a link could outlive it.
/// </remarks>
public sealed class EvidenceStore(BlobServiceClient service, string containerName, EvidenceLimits limits, TimeProvider? realTime = null)
{
    private static readonly TimeSpan UploadWindow = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ReadWindow = TimeSpan.FromMinutes(15);

    /// <summary>How long a fetched delegation key lives: hours, so that most links cost no round trip.</summary>
    public static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromHours(6);

    private readonly BlobContainerClient _container = service.GetBlobContainerClient(containerName);
    private readonly TimeProvider _time = realTime ?? TimeProvider.System;
    private UserDelegationKey? _delegationKey;

    public EvidenceLimits Limits => limits;

    public async Task EnsureAsync(IEnumerable<string> browserOrigins, CancellationToken cancellationToken = default)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var origins = browserOrigins.Distinct().ToArray();
        if (origins.Length == 0) return;
        // Browsers PUT evidence straight to storage from the organizer page's origin. The service's other properties
        // (logging, metrics) are read and written back as they are.
        var properties = (await service.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value;
        properties.Cors =
        [
            new BlobCorsRule
            {
                AllowedOrigins = string.Join(',', origins),
                AllowedMethods = "PUT,GET,HEAD,OPTIONS",
                AllowedHeaders = "content-type,x-ms-blob-type,x-ms-version,x-ms-date,x-ms-client-request-id",
                ExposedHeaders = "etag,x-ms-request-id",
                MaxAgeInSeconds = 3600,
            },
        ];
        await service.SetPropertiesAsync(properties, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A SAS to create one new blob under the matter's folder, if the file is of an allowed type and size.</summary>
    public async Task<UploadGrant> GrantUploadAsync(string matterId, string fileName, string contentType, long bytes, CancellationToken cancellationToken = default)
    {
        if (!limits.Allows(contentType)) throw new EvidenceRejectedException($"contentType: one of {string.Join(", ", limits.ContentTypes)}.");
        if (bytes <= 0 || bytes > limits.MaxBytes(contentType)) throw new EvidenceRejectedException($"bytes: from 1 to {limits.MaxBytes(contentType)} for {contentType}.");
        var blob = $"{matterId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}{Extension(fileName, contentType)}";
        var expiresAt = _time.GetUtcNow() + UploadWindow;
        var url = await SasUriAsync(blob, BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt, cancellationToken).ConfigureAwait(false);
        return new UploadGrant(blob, url, expiresAt, new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob", ["Content-Type"] = contentType });
    }

    /// <summary>Checks the blobs a reply names: in this matter's folder, uploaded, of an allowed type and size.</summary>
    public async Task<IReadOnlyList<EvidenceRef>> VerifyAsync(string matterId, IReadOnlyList<string> blobs, CancellationToken cancellationToken = default)
    {
        if (blobs.Count > limits.MaxFiles) throw new EvidenceRejectedException($"evidence: at most {limits.MaxFiles} files.");
        var verified = new List<EvidenceRef>();
        foreach (var name in blobs.Distinct(StringComparer.Ordinal))
        {
            if (!name.StartsWith(matterId + "/", StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
                throw new EvidenceRejectedException($"evidence: {name} does not belong to matter {matterId}.");
            BlobProperties properties;
            try
            {
                properties = (await _container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                throw new EvidenceRejectedException($"evidence: {name} was not uploaded.");
            }
            var contentType = properties.ContentType ?? "";
            if (!limits.Allows(contentType)) throw new EvidenceRejectedException($"evidence: {name} is {contentType}, not a photo or video type we take.");
            if (properties.ContentLength <= 0 || properties.ContentLength > limits.MaxBytes(contentType))
                throw new EvidenceRejectedException($"evidence: {name} is {properties.ContentLength} bytes; at most {limits.MaxBytes(contentType)}.");
            verified.Add(new EvidenceRef(name, contentType, properties.ContentLength));
        }
        return verified;
    }

    public async Task<EvidenceLink> ReadLinkAsync(EvidenceRef evidence, CancellationToken cancellationToken = default)
    {
        var expiresAt = _time.GetUtcNow() + ReadWindow;
        var url = await SasUriAsync(evidence.Blob, BlobSasPermissions.Read, expiresAt, cancellationToken).ConfigureAwait(false);
        return new EvidenceLink(evidence.Blob, evidence.ContentType, evidence.Bytes, url, expiresAt);
    }

    /// <summary>A SAS for exactly one blob, valid at once (no start time, so no clock-skew surprises) until <paramref name="expiresOn"/>.</summary>
    private async Task<Uri> SasUriAsync(string blobName, BlobSasPermissions permissions, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(blobName);
        var sas = new BlobSasBuilder(permissions, expiresOn) { BlobContainerName = _container.Name, BlobName = blobName, Resource = "b" };
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);
        var key = await DelegationKeyAsync(expiresOn, cancellationToken).ConfigureAwait(false);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) }.ToUri();
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset sasExpiresOn, CancellationToken cancellationToken)
    {
        // Two racing callers may both fetch a key: harmless, the later one is kept.
        var cached = Volatile.Read(ref _delegationKey);
        if (cached is not null && cached.SignedExpiresOn >= sasExpiresOn) return cached;
        var now = _time.GetUtcNow();
        var keyExpires = sasExpiresOn > now + DelegationKeyLifetime ? sasExpiresOn : now + DelegationKeyLifetime;
        var fresh = (await service.GetUserDelegationKeyAsync(now.AddMinutes(-5), keyExpires, cancellationToken).ConfigureAwait(false)).Value;
        Volatile.Write(ref _delegationKey, fresh);
        return fresh;
    }

    private static string Extension(string fileName, string contentType)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        if (ext.Length is > 1 and <= 6 && ext[1..].All(char.IsAsciiLetterOrDigit)) return ext;
        return contentType.ToLowerInvariant() switch
        {
            "image/jpeg" => ".jpg",
            "image/png" => ".png",
            "video/mp4" => ".mp4",
            _ => "",
        };
    }
}
