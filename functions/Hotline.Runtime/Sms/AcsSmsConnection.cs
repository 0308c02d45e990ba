using Azure.Core;

namespace Hotline.Runtime.Sms;

/// <summary>
/// Where an Azure Communication Services resource lives and how to authenticate to it: its access key
/// (HMAC-SHA256 request signing) or an Entra ID <see cref="TokenCredential"/> (managed identity in Azure).
/// Build one with <see cref="Parse"/> or <see cref="FromCredential"/>.
/// </summary>
public sealed class AcsSmsConnection
{
    /// <summary>The OAuth scope Communication Services accepts for bearer tokens.</summary>
    public const string Scope = "https://communication.azure.com/.default";

    private readonly byte[]? _accessKey;

    private AcsSmsConnection(Uri endpoint, byte[]? accessKey, TokenCredential? credential)
    {
        Endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _accessKey = accessKey;
        Credential = credential;
    }

    /// <summary>The resource endpoint, e.g. <c>https://my-resource.communication.azure.com/</c>, always ending with '/'.</summary>
    public Uri Endpoint { get; }

    /// <summary>The Entra ID credential, when the connection authenticates with bearer tokens; otherwise null.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>True when requests are signed with the access key rather than a bearer token.</summary>
    public bool UsesAccessKey => _accessKey is not null;

    /// <summary>The decoded access key; only the signing policy needs it.</summary>
    internal byte[]? AccessKey => _accessKey;

    /// <summary>
    /// Parses the connection string the Azure portal shows under "Keys":
    /// <c>endpoint=https://&lt;resource&gt;.communication.azure.com/;accesskey=&lt;base64&gt;</c>
    /// (names case-insensitive, as the official SDKs accept them).
    /// </summary>
    /// <exception cref="FormatException">The string is malformed; the message never repeats the key.</exception>
    public static AcsSmsConnection Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        string? endpoint = null, accessKey = null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split on the first '=' only: base64 keys end with '='.
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            // Other segments are ignored, as the official SDKs ignore them.
            var name = eq <= 0 ? "" : part[..eq].Trim();
            if (name.Equals("endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = part[(eq + 1)..].Trim();
            }
            else if (name.Equals("accesskey", StringComparison.OrdinalIgnoreCase))
            {
                accessKey = part[(eq + 1)..].Trim();
            }
        }
        if (endpoint is null || accessKey is null)
        {
            throw new FormatException("The Communication Services connection string needs both endpoint=... and accesskey=....");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(accessKey);
        }
        catch (FormatException)
        {
            throw new FormatException("The Communication Services access key is not valid base64.");
        }
        if (key.Length == 0)
        {
            throw new FormatException("The Communication Services access key is empty.");
        }
        return new AcsSmsConnection(CheckEndpoint(endpoint), key, null);
    }

    /// <summary>A resource reached with Entra ID tokens for <see cref="Scope"/> (the identity needs an ACS data-plane role).</summary>
    public static AcsSmsConnection FromCredential(Uri endpoint, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new AcsSmsConnection(CheckEndpoint(endpoint.AbsoluteUri), null, credential);
    }

    /// <inheritdoc />
    public override string ToString() => $"AcsSmsConnection({Endpoint.Authority}, {(UsesAccessKey ? "access key" : "Entra ID")})";

    private static Uri CheckEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new FormatException($"The Communication Services endpoint '{endpoint}' is not an absolute https URI.");
        }
        // The body carries the message text and phone numbers: plain http only to this machine (emulators, tests).
        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            throw new FormatException($"The Communication Services endpoint '{endpoint}' must use https.");
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new FormatException($"The Communication Services endpoint '{endpoint}' must not have a query or fragment.");
        }
        return uri;
    }
}
