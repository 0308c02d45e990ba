using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Runtime.Sms;

/// <summary>
/// Signs each attempt with the resource's access key as Communication Services documents it ("Sign an HTTP
/// request") and as the official SDKs' communication-common access-key policy does:
/// <code>
/// Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=base64(HMAC-SHA256(key, stringToSign))
/// stringToSign = VERB + "\n" + pathAndQuery + "\n" + x-ms-date + ";" + host + ";" + x-ms-content-sha256
/// </code>
/// where x-ms-content-sha256 is base64(SHA-256(body bytes)) and host is the URI's host with ":port" only when the
/// port is not the scheme's default (what an HTTP client sends in Host). Runs per retry so every attempt carries a
/// fresh date, which the service checks against replays.
/// </summary>
public sealed class AcsHmacAuthenticationPolicy : HttpPipelineSynchronousPolicy
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Creates the policy for a decoded access key; <paramref name="time"/> defaults to the system clock.</summary>
    public AcsHmacAuthenticationPolicy(byte[] accessKey, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(accessKey);
        _key = (byte[])accessKey.Clone();
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        var uri = request.Uri.ToUri();
        var date = _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        var contentHash = Convert.ToBase64String(SHA256.HashData(ContentBytes(request.Content, message.CancellationToken)));
        var host = HostHeader(uri);
        var stringToSign = string.Create(CultureInfo.InvariantCulture,
            $"{request.Method.Method.ToUpperInvariant()}\n{uri.PathAndQuery}\n{date};{host};{contentHash}");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

        // Host is set explicitly (as the JavaScript SDK does) so the value signed is the value sent.
        request.Headers.SetValue("Host", host);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }

    /// <summary>The Host header value for <paramref name="uri"/>: the host (punycode, IPv6 in brackets) and a non-default port.</summary>
    public static string HostHeader(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost : uri.Host;
        return uri.IsDefaultPort ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{uri.Port}");
    }

    private static byte[] ContentBytes(RequestContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return [];
        }
        using var buffer = new MemoryStream();
        content.WriteTo(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
