using Azure.Core;
using Azure.Identity;

namespace Hotline.Storage;

/// <summary>
/// Where a storage account lives and how to authenticate to it: either its Shared Key (Azurite, or
/// accounts that still allow keys) or an Entra ID <see cref="TokenCredential"/> (production, where
/// shared keys are disabled). Immutable; build one with <see cref="Parse"/>,
/// <see cref="FromCredential(string, TokenCredential, string)"/> or <see cref="FromSettings"/>.
/// </summary>
public sealed class StorageConnection
{
    /// <summary>The emulator's fixed account name (documented by Azurite and the Azure SDKs).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The emulator's fixed, public account key.</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The OAuth scope every storage service accepts for bearer tokens.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private StorageConnection(string accountName, Uri blob, Uri queue, Uri table, StorageSharedKey? sharedKey, TokenCredential? credential)
    {
        AccountName = accountName;
        BlobEndpoint = EnsureTrailingSlash(blob);
        QueueEndpoint = EnsureTrailingSlash(queue);
        TableEndpoint = EnsureTrailingSlash(table);
        SharedKey = sharedKey;
        Credential = credential;
    }

    /// <summary>Storage account name (used in Shared Key and SAS canonical resources).</summary>
    public string AccountName { get; }

    /// <summary>Blob service endpoint, always ending with '/'.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>Queue service endpoint, always ending with '/'.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>Table service endpoint, always ending with '/'.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>The account key, when the connection authenticates with Shared Key; otherwise null.</summary>
    public StorageSharedKey? SharedKey { get; }

    /// <summary>The Entra ID credential, when the connection authenticates with bearer tokens; otherwise null.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>
    /// Parses an Azure Storage connection string: <c>UseDevelopmentStorage=true</c>, or
    /// <c>DefaultEndpointsProtocol/AccountName/AccountKey/EndpointSuffix</c>, optionally with explicit
    /// <c>BlobEndpoint/QueueEndpoint/TableEndpoint</c> (path-style emulator endpoints such as
    /// <c>http://127.0.0.1:10000/devstoreaccount1</c> included). Keys are case-insensitive.
    /// </summary>
    /// <exception cref="FormatException">The string is malformed or lacks what is needed to reach all three services.</exception>
    public static StorageConnection Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split on the first '=' only: base64 account keys end with '='.
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Connection string segment '{Redact(part)}' is not of the form Key=Value.");
            }
            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("SharedAccessSignature", out _))
        {
            throw new FormatException("SAS connection strings are not supported; use an account key or a token credential.");
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            if (settings.ContainsKey("DevelopmentStorageProxyUri"))
            {
                throw new FormatException("DevelopmentStorageProxyUri is not supported.");
            }
            return Development();
        }

        settings.TryGetValue("AccountName", out var accountName);
        settings.TryGetValue("AccountKey", out var accountKey);
        var protocol = settings.TryGetValue("DefaultEndpointsProtocol", out var p) ? p.ToLowerInvariant() : "https";
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"DefaultEndpointsProtocol must be http or https, not '{protocol}'.");
        }
        var suffix = settings.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";

        Uri? Endpoint(string key, string service)
        {
            if (settings.TryGetValue(key, out var explicitEndpoint))
            {
                if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new FormatException($"{key} '{explicitEndpoint}' is not an absolute http(s) URI.");
                }
                return uri;
            }
            return accountName is null ? null : new Uri($"{protocol}://{accountName}.{service}.{suffix}/");
        }

        var blob = Endpoint("BlobEndpoint", "blob");
        var queue = Endpoint("QueueEndpoint", "queue");
        var table = Endpoint("TableEndpoint", "table");
        if (blob is null || queue is null || table is null)
        {
            throw new FormatException("The connection string needs AccountName, or all of BlobEndpoint, QueueEndpoint and TableEndpoint.");
        }
        accountName ??= AccountNameFromEndpoint(blob);
        if (accountKey is null)
        {
            throw new FormatException("The connection string has no AccountKey; for Entra ID use StorageConnection.FromCredential.");
        }
        return new StorageConnection(accountName, blob, queue, table, new StorageSharedKey(accountName, accountKey), null);
    }

    /// <summary>Azurite on its default ports (10000/10001/10002) with the well-known account and key.</summary>
    public static StorageConnection Development() => new(
        DevelopmentAccountName,
        new Uri($"http://127.0.0.1:10000/{DevelopmentAccountName}"),
        new Uri($"http://127.0.0.1:10001/{DevelopmentAccountName}"),
        new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"),
        new StorageSharedKey(DevelopmentAccountName, DevelopmentAccountKey),
        null);

    /// <summary>An account reached with Entra ID tokens at <c>https://{account}.{service}.{endpointSuffix}</c>.</summary>
    public static StorageConnection FromCredential(string accountName, TokenCredential credential, string endpointSuffix = "core.windows.net")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageConnection(
            accountName,
            new Uri($"https://{accountName}.blob.{endpointSuffix}/"),
            new Uri($"https://{accountName}.queue.{endpointSuffix}/"),
            new Uri($"https://{accountName}.table.{endpointSuffix}/"),
            null,
            credential);
    }

    /// <summary>An account reached with Entra ID tokens at explicit service URIs (account name taken from the blob URI).</summary>
    public static StorageConnection FromCredential(Uri blobEndpoint, Uri queueEndpoint, Uri tableEndpoint, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(blobEndpoint);
        ArgumentNullException.ThrowIfNull(queueEndpoint);
        ArgumentNullException.ThrowIfNull(tableEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageConnection(AccountNameFromEndpoint(blobEndpoint), blobEndpoint, queueEndpoint, tableEndpoint, null, credential);
    }

    /// <summary>
    /// Reads configuration-style settings the way the Functions host does for <paramref name="name"/>
    /// (default <c>AzureWebJobsStorage</c>): either a connection string under <c>name</c>, or an
    /// identity-based connection under <c>name__accountName</c> (or <c>name__blobServiceUri</c>,
    /// <c>__queueServiceUri</c>, <c>__tableServiceUri</c>), with optional <c>name__credential=managedidentity</c>
    /// and <c>name__clientId</c>. ':' works as well as '__' as the separator; keys are case-insensitive.
    /// Identity without <c>credential=managedidentity</c> uses <see cref="DefaultAzureCredential"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable setting was found.</exception>
    public static StorageConnection FromSettings(IEnumerable<KeyValuePair<string, string?>> settings, string name = "AzureWebJobsStorage")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                map[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        if (map.TryGetValue(name, out var connectionString))
        {
            return Parse(connectionString);
        }

        string? Get(string suffix) => map.TryGetValue($"{name}__{suffix}", out var v) ? v : null;
        var accountName = Get("accountName");
        var blobUri = Get("blobServiceUri");
        var queueUri = Get("queueServiceUri");
        var tableUri = Get("tableServiceUri");
        if (accountName is null && (blobUri is null || queueUri is null || tableUri is null))
        {
            throw new InvalidOperationException(
                $"No storage connection configured: set '{name}' to a connection string, or '{name}__accountName' " +
                $"(or all of '{name}__blobServiceUri', '{name}__queueServiceUri', '{name}__tableServiceUri') for managed identity.");
        }

        var clientId = Get("clientId");
        TokenCredential credential = string.Equals(Get("credential"), "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

        if (accountName is not null)
        {
            var fromName = FromCredential(accountName, credential);
            return new StorageConnection(
                accountName,
                blobUri is null ? fromName.BlobEndpoint : new Uri(blobUri),
                queueUri is null ? fromName.QueueEndpoint : new Uri(queueUri),
                tableUri is null ? fromName.TableEndpoint : new Uri(tableUri),
                null,
                credential);
        }
        return FromCredential(new Uri(blobUri!), new Uri(queueUri!), new Uri(tableUri!), credential);
    }

    /// <summary>
    /// The account name an endpoint implies: the first path segment for path-style (IP or localhost)
    /// endpoints as the emulator uses, otherwise the first label of the host name.
    /// </summary>
    internal static string AccountNameFromEndpoint(Uri endpoint)
    {
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        var pathStyle = endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || endpoint.IsLoopback;
        var name = pathStyle ? firstSegment : endpoint.Host.Split('.')[0];
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException($"Cannot tell the account name from endpoint '{endpoint}'.");
        }
        return name;
    }

    private static Uri EnsureTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static string Redact(string part) =>
        part.Length <= 12 ? part : part[..12] + "…";
}
