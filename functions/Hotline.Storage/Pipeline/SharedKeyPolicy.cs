using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Storage.Pipeline;

/// <summary>Which service a request goes to: the Table service signs a different (shorter) string.</summary>
public enum StorageService
{
    /// <summary>Blob service.</summary>
    Blob,

    /// <summary>Queue service.</summary>
    Queue,

    /// <summary>Table service.</summary>
    Table,
}

/// <summary>
/// Signs each attempt with the account key ("Authorization: SharedKey account:signature") as documented
/// in "Authorize with Shared Key". Runs per retry, after <see cref="StorageHeadersPolicy"/> has stamped
/// x-ms-date, so a retried request carries a fresh date and signature.
/// </summary>
public sealed class SharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly StorageSharedKey _key;
    private readonly StorageService _service;

    /// <summary>Creates the policy for one service.</summary>
    public SharedKeyPolicy(StorageSharedKey key, StorageService service)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _service = service;
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        var stringToSign = _service == StorageService.Table
            ? TableStringToSign(request, _key.AccountName)
            : BlobQueueStringToSign(request, _key.AccountName);
        request.Headers.SetValue("Authorization", $"SharedKey {_key.AccountName}:{_key.Sign(stringToSign)}");
    }

    /// <summary>The Blob/Queue Shared Key string-to-sign (version 2015-02-21 and later).</summary>
    public static string BlobQueueStringToSign(Request request, string accountName)
    {
        ArgumentNullException.ThrowIfNull(request);
        string Header(string name) => request.Headers.TryGetValue(name, out var v) ? v : "";

        var length = "";
        if (request.Content is not null && request.Content.TryComputeLength(out var contentLength) && contentLength > 0)
        {
            // Since 2015-02-21 a zero Content-Length is signed as the empty string.
            length = contentLength.ToString(CultureInfo.InvariantCulture);
        }

        var sb = new StringBuilder();
        sb.Append(request.Method.Method.ToUpperInvariant()).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(length).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append('\n') // Date: empty because x-ms-date is always sent.
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');

        // Canonicalized headers: every x-ms-* header, lower-cased, sorted by name, "name:value\n".
        var msHeaders = request.Headers
            .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Name.ToLowerInvariant().Trim(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in msHeaders)
        {
            sb.Append(name).Append(':').Append(value).Append('\n');
        }

        var uri = request.Uri.ToUri();
        sb.Append(CanonicalPath(uri, accountName));

        // Canonicalized resource query: decoded names lower-cased and sorted, values decoded, repeated
        // names joined with ',' in sorted order.
        var parameters = ParseQuery(uri.Query)
            .GroupBy(p => p.Name.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in parameters)
        {
            sb.Append('\n').Append(group.Key).Append(':')
                .Append(string.Join(',', group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        }
        return sb.ToString();
    }

    /// <summary>The Table service Shared Key string-to-sign (2009-09-19 and later).</summary>
    public static string TableStringToSign(Request request, string accountName)
    {
        ArgumentNullException.ThrowIfNull(request);
        string Header(string name) => request.Headers.TryGetValue(name, out var v) ? v : "";

        // The Table format signs the request date in the Date slot; we send it as x-ms-date.
        var date = Header("x-ms-date");
        if (date.Length == 0)
        {
            date = Header("Date");
        }

        var uri = request.Uri.ToUri();
        var resource = CanonicalPath(uri, accountName);
        // Only the comp parameter belongs to the Table canonical resource; $filter and friends do not.
        var comp = ParseQuery(uri.Query).FirstOrDefault(p => string.Equals(p.Name, "comp", StringComparison.OrdinalIgnoreCase));
        if (comp.Name is not null)
        {
            resource += "?comp=" + comp.Value;
        }

        return string.Join('\n',
            request.Method.Method.ToUpperInvariant(),
            Header("Content-MD5"),
            Header("Content-Type"),
            date,
            resource);
    }

    /// <summary>
    /// "/account" followed by the URI path exactly as encoded on the wire. For path-style emulator
    /// URIs the path already starts with "/account", which then appears twice, as Azurite expects.
    /// </summary>
    private static string CanonicalPath(Uri uri, string accountName)
    {
        var path = uri.AbsolutePath;
        return "/" + accountName + (path.Length == 0 ? "/" : path);
    }

    private static IEnumerable<(string Name, string Value)> ParseQuery(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            yield return (Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
        }
    }
}
