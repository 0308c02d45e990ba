using System.Security.Cryptography;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Storage;
using Hotline.Storage.Blobs;

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
/// (<see cref="TimeProvider.System"/>): storage checks them against real time, whatever the development clock says.
/// </summary>
public sealed class EvidenceStore(StorageConnection connection, string containerName, EvidenceLimits limits)
{
    private static readonly TimeSpan UploadWindow = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ReadWindow = TimeSpan.FromMinutes(15);

    private readonly BlobContainerClient _container = new(connection, containerName, time: TimeProvider.System);

    public EvidenceLimits Limits => limits;

    public async Task EnsureAsync(IEnumerable<string> browserOrigins, CancellationToken cancellationToken = default)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var origins = browserOrigins.Distinct().ToArray();
        if (origins.Length == 0) return;
        // Browsers PUT evidence straight to storage from the organizer page's origin.
        await new BlobServiceClient(connection).SetCorsRulesAsync(
        [
            new BlobCorsRule(origins, ["PUT", "GET", "HEAD", "OPTIONS"], ["content-type", "x-ms-blob-type", "x-ms-version", "x-ms-date", "x-ms-client-request-id"],
                ["etag", "x-ms-request-id"], 3600),
        ], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A SAS to create one new blob under the matter's folder, if the file is of an allowed type and size.</summary>
    public async Task<UploadGrant> GrantUploadAsync(string matterId, string fileName, string contentType, long bytes, CancellationToken cancellationToken = default)
    {
        if (!limits.Allows(contentType)) throw new EvidenceRejectedException($"contentType: one of {string.Join(", ", limits.ContentTypes)}.");
        if (bytes <= 0 || bytes > limits.MaxBytes(contentType)) throw new EvidenceRejectedException($"bytes: from 1 to {limits.MaxBytes(contentType)} for {contentType}.");
        var blob = $"{matterId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}{Extension(fileName, contentType)}";
        var expiresAt = TimeProvider.System.GetUtcNow() + UploadWindow;
        var url = await _container.GenerateSasUriAsync(blob, BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt, cancellationToken: cancellationToken).ConfigureAwait(false);
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
            BlobItem? item = null;
            await foreach (var candidate in _container.ListAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (candidate.Name == name) { item = candidate; break; }
            }
            if (item is null) throw new EvidenceRejectedException($"evidence: {name} was not uploaded.");
            if (!limits.Allows(item.ContentType)) throw new EvidenceRejectedException($"evidence: {name} is {item.ContentType}, not a photo or video type we take.");
            if (item.ContentLength <= 0 || item.ContentLength > limits.MaxBytes(item.ContentType))
                throw new EvidenceRejectedException($"evidence: {name} is {item.ContentLength} bytes; at most {limits.MaxBytes(item.ContentType)}.");
            verified.Add(new EvidenceRef(name, item.ContentType, item.ContentLength));
        }
        return verified;
    }

    public async Task<EvidenceLink> ReadLinkAsync(EvidenceRef evidence, CancellationToken cancellationToken = default)
    {
        var expiresAt = TimeProvider.System.GetUtcNow() + ReadWindow;
        var url = await _container.GenerateSasUriAsync(evidence.Blob, BlobSasPermissions.Read, expiresAt, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new EvidenceLink(evidence.Blob, evidence.ContentType, evidence.Bytes, url, expiresAt);
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
