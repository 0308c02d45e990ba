using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Hotline.Storage.Pipeline;

namespace Hotline.Storage.Blobs;

/// <summary>A downloaded blob: its bytes, content type and version.</summary>
public sealed record BlobDownload(byte[] Content, string ContentType, ETag ETag);

/// <summary>One entry of a blob listing.</summary>
public sealed record BlobItem(string Name, long ContentLength, string ContentType, ETag ETag, DateTimeOffset? LastModified);

/// <summary>
/// One container of the Blob service: block blobs written in a single PUT (evidence photos are small),
/// read, deleted, listed, and short-lived SAS URIs scoped to one blob for browsers.
/// </summary>
public sealed partial class BlobContainerClient
{
    /// <summary>The largest blob a single Put Blob accepts (5000 MiB); we keep to 256 MiB, plenty for evidence.</summary>
    public const int MaxUploadBytes = 256 * 1024 * 1024;

    private readonly HttpPipeline _pipeline;
    private readonly StorageConnection _connection;
    private readonly Lazy<BlobServiceClient> _service;
    private readonly TimeProvider _time;
    private volatile UserDelegationKey? _delegationKey;

    /// <summary>Creates a client for container <paramref name="containerName"/> (3–63 lowercase letters, digits, single dashes).</summary>
    public BlobContainerClient(StorageConnection connection, string containerName, StorageClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(containerName);
        if (!ContainerNamePattern().IsMatch(containerName) || containerName.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{containerName}' is not a valid container name: 3-63 lowercase letters, digits and single dashes, starting and ending with a letter or digit.", nameof(containerName));
        }
        Name = containerName;
        _connection = connection;
        _time = time ?? TimeProvider.System;
        _pipeline = StoragePipeline.Build(connection, StorageService.Blob, options);
        _service = new(() => new BlobServiceClient(connection, options));
        Uri = connection.BlobEndpoint.Append(containerName);
    }

    /// <summary>The container's name.</summary>
    public string Name { get; }

    /// <summary>The container's URI (no trailing slash).</summary>
    public Uri Uri { get; }

    /// <summary>The URI of a blob in this container (no SAS).</summary>
    public Uri GetBlobUri(string blobName)
    {
        ValidateBlobName(blobName);
        // Escape each segment but keep '/' so virtual folders stay readable on the wire.
        return new Uri(Uri.AbsoluteUri + "/" + string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString)));
    }

    /// <summary>Creates the (private) container; the value is true when it was created.</summary>
    public async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, new Uri(Uri.AbsoluteUri + "?restype=container"));
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 201, 409).ConfigureAwait(false);
        if (response.Status == 409 && StorageErrorParser.ErrorCode(response) != "ContainerAlreadyExists")
        {
            throw StorageErrorParser.CreateException(response);
        }
        return Response.FromValue(response.Status == 201, response);
    }

    /// <summary>
    /// Writes a block blob in one Put Blob. With <paramref name="overwrite"/> false an existing blob is kept
    /// and 409 BlobAlreadyExists is thrown (If-None-Match: *). Returns the new ETag.
    /// </summary>
    public async Task<Response<ETag>> UploadAsync(string blobName, ReadOnlyMemory<byte> content, string contentType, bool overwrite = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (content.Length > MaxUploadBytes)
        {
            throw new ArgumentException($"Blob '{blobName}' is {content.Length} bytes; this client uploads at most {MaxUploadBytes} in one request.", nameof(content));
        }
        using var message = _pipeline.CreateMessage(RequestMethod.Put, GetBlobUri(blobName));
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        if (!overwrite)
        {
            message.Request.Headers.SetValue("If-None-Match", "*");
        }
        message.Request.Content = RequestContent.Create(content);
        message.Request.Headers.SetValue("Content-Type", contentType);
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 201).ConfigureAwait(false);
        return Response.FromValue(response.Headers.ETag ?? default, response);
    }

    /// <summary>Reads a blob; throws <see cref="RequestFailedException"/> 404 (BlobNotFound) when it does not exist.</summary>
    public async Task<Response<BlobDownload>> DownloadAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var result = await DownloadIfExistsAsync(blobName, cancellationToken).ConfigureAwait(false);
        return result.HasValue
            ? Response.FromValue(result.Value!, result.GetRawResponse())
            : throw StorageErrorParser.CreateException(result.GetRawResponse());
    }

    /// <summary>Reads a blob; the result has no value (<see cref="NullableResponse{T}.HasValue"/> false) when it does not exist.</summary>
    public async Task<NullableResponse<BlobDownload>> DownloadIfExistsAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, GetBlobUri(blobName));
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return new DownloadResponse(null, response);
        }
        return new DownloadResponse(
            new BlobDownload(response.Content.ToArray(), response.Headers.ContentType ?? "application/octet-stream", response.Headers.ETag ?? default),
            response);
    }

    /// <summary>Deletes a blob (and its snapshots); the value is false when there was nothing to delete.</summary>
    public async Task<Response<bool>> DeleteIfExistsAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, GetBlobUri(blobName));
        message.Request.Headers.SetValue("x-ms-delete-snapshots", "include");
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 202, 404).ConfigureAwait(false);
        return Response.FromValue(response.Status == 202, response);
    }

    /// <summary>Every blob whose name starts with <paramref name="prefix"/>, in name order, page by page.</summary>
    public async IAsyncEnumerable<BlobItem> ListAsync(string? prefix = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 5000);
        string? marker = null;
        do
        {
            var query = $"?restype=container&comp=list&maxresults={pageSize.ToString(CultureInfo.InvariantCulture)}";
            if (!string.IsNullOrEmpty(prefix))
            {
                query += "&prefix=" + Uri.EscapeDataString(prefix);
            }
            if (marker is not null)
            {
                query += "&marker=" + Uri.EscapeDataString(marker);
            }
            List<BlobItem> items;
            using (var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(Uri.AbsoluteUri + query)))
            {
                var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200).ConfigureAwait(false);
                var root = XDocument.Parse(response.Content.ToString()).Root!;
                items = root.Element("Blobs")?.Elements("Blob").Select(b =>
                {
                    var p = b.Element("Properties");
                    var modified = p?.Element("Last-Modified")?.Value;
                    return new BlobItem(
                        b.Element("Name")!.Value,
                        long.Parse(p?.Element("Content-Length")?.Value ?? "0", CultureInfo.InvariantCulture),
                        p?.Element("Content-Type")?.Value ?? "",
                        new ETag(p?.Element("Etag")?.Value ?? ""),
                        modified is null ? null : DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture));
                }).ToList() ?? [];
                marker = root.Element("NextMarker")?.Value;
            }
            foreach (var item in items)
            {
                yield return item;
            }
        }
        while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>
    /// A SAS URI for exactly one blob, valid until <paramref name="expiresOn"/> (and from <paramref name="startsOn"/>
    /// if given; otherwise at once, which avoids clock-skew surprises). With an account key this is a service
    /// SAS; with a token credential a user delegation SAS, fetching (and caching) a user delegation key.
    /// </summary>
    public async Task<Uri> GenerateSasUriAsync(string blobName, BlobSasPermissions permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn = null, CancellationToken cancellationToken = default)
    {
        var blobUri = GetBlobUri(blobName);
        if (startsOn is { } start && start >= expiresOn)
        {
            throw new ArgumentException("A SAS must start before it expires.", nameof(startsOn));
        }
        string query;
        if (_connection.SharedKey is { } key)
        {
            query = BlobSas.ServiceSasQuery(key, Name, blobName, permissions, expiresOn, startsOn);
        }
        else
        {
            var delegationKey = await GetDelegationKeyAsync(expiresOn, cancellationToken).ConfigureAwait(false);
            query = BlobSas.UserDelegationSasQuery(delegationKey, _connection.AccountName, Name, blobName, permissions, expiresOn, startsOn);
        }
        return new Uri(blobUri.AbsoluteUri + "?" + query);
    }

    private async Task<UserDelegationKey> GetDelegationKeyAsync(DateTimeOffset sasExpiresOn, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (sasExpiresOn > now.AddDays(7))
        {
            throw new ArgumentException("A user delegation SAS can live at most 7 days.", nameof(sasExpiresOn));
        }
        // One key serves every SAS that expires before it does; SAS are short-lived, so a key of a few
        // hours saves a round trip per upload link. Two racing callers may both fetch one: harmless.
        var cached = _delegationKey;
        if (cached is not null && cached.ExpiresOn >= sasExpiresOn)
        {
            return cached;
        }
        var keyExpires = sasExpiresOn > now.AddHours(6) ? sasExpiresOn : now.AddHours(6);
        keyExpires = keyExpires > now.AddDays(7) ? now.AddDays(7) : keyExpires;
        var fresh = (await _service.Value.GetUserDelegationKeyAsync(now.AddMinutes(-5), keyExpires, cancellationToken).ConfigureAwait(false)).Value;
        _delegationKey = fresh;
        return fresh;
    }

    private static void ValidateBlobName(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        if (blobName.Length > 1024 || blobName.EndsWith('/') || blobName.EndsWith('.') || blobName.Any(char.IsControl))
        {
            throw new ArgumentException($"'{blobName}' is not a usable blob name: at most 1024 characters, no control characters, not ending with '/' or '.'.", nameof(blobName));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerNamePattern();

    private sealed class DownloadResponse(BlobDownload? value, Response response) : NullableResponse<BlobDownload>
    {
        public override bool HasValue => value is not null;

        public override BlobDownload Value => value ?? throw new InvalidOperationException("The blob does not exist (404).");

        public override Response GetRawResponse() => response;
    }
}
