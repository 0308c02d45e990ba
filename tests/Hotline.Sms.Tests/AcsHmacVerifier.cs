using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hotline.Sms.Tests;

public sealed record Verdict(bool Accepted, string Reason)
{
    public override string ToString() => (Accepted ? "accepted" : "rejected") + ": " + Reason;
}

/// <summary>
/// Checks a captured request the way the service checks access-key authentication, written from the
/// documentation ("Sign an HTTP request with HMAC") and not from the code under test:
/// <list type="number">
/// <item>Authorization is <c>HMAC-SHA256 SignedHeaders=h1;h2;h3&amp;Signature=base64</c>, and the signed headers
/// include host, the date (x-ms-date or Date) and x-ms-content-sha256;</item>
/// <item>x-ms-content-sha256 is base64(SHA-256(body bytes));</item>
/// <item>the date is within <see cref="AllowedSkew"/> of now;</item>
/// <item>Signature = base64(HMAC-SHA256(key, UTF-8(VERB + "\n" + pathAndQuery + "\n" + the signed headers' values joined by ';'))).</item>
/// </list>
/// </summary>
public sealed class AcsHmacVerifier(byte[] key)
{
    public TimeSpan AllowedSkew { get; init; } = TimeSpan.FromMinutes(15);

    public Verdict Verify(CapturedRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string scheme = "HMAC-SHA256 ";
        var authorization = request.Header("Authorization");
        if (!authorization.StartsWith(scheme, StringComparison.Ordinal))
        {
            return new Verdict(false, "no HMAC-SHA256 Authorization header");
        }

        var parameters = authorization[scheme.Length..].Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parameters.TryGetValue("SignedHeaders", out var signedHeaderList) || !parameters.TryGetValue("Signature", out var signature))
        {
            return new Verdict(false, "Authorization lacks SignedHeaders or Signature");
        }

        var signedHeaders = signedHeaderList.Split(';');
        var dateHeader = signedHeaders.FirstOrDefault(h => h is "x-ms-date" or "date");
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-ms-content-sha256") || dateHeader is null)
        {
            return new Verdict(false, $"signed headers '{signedHeaderList}' do not cover host, date and content hash");
        }

        var contentHash = Convert.ToBase64String(SHA256.HashData(request.Body));
        if (!string.Equals(request.Header("x-ms-content-sha256"), contentHash, StringComparison.Ordinal))
        {
            return new Verdict(false, "x-ms-content-sha256 does not match the body");
        }

        if (!DateTimeOffset.TryParseExact(request.Header(dateHeader), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return new Verdict(false, $"{dateHeader} is not an IMF-fixdate");
        }
        if ((now - date).Duration() > AllowedSkew)
        {
            return new Verdict(false, $"{dateHeader} is {(now - date).Duration()} away from now");
        }

        var stringToSign = request.Method.ToUpperInvariant() + "\n" + request.PathAndQuery + "\n" +
            string.Join(';', signedHeaders.Select(request.Header));
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return new Verdict(false, "Signature is not base64");
        }
        return CryptographicOperations.FixedTimeEquals(given, expected)
            ? new Verdict(true, "signature matches")
            : new Verdict(false, "signature does not match");
    }
}
