using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Hotline.Storage.Pipeline;

/// <summary>
/// Reads a storage error's code and message: the x-ms-error-code header where present, else the
/// XML body (Blob/Queue: &lt;Error&gt;&lt;Code&gt;) or the JSON body (Table: odata.error.code).
/// </summary>
public sealed class StorageErrorParser : RequestFailedDetailsParser
{
    /// <summary>The shared instance.</summary>
    public static StorageErrorParser Instance { get; } = new();

    /// <summary>Builds the exception for an unexpected response, status and error code included.</summary>
    public static RequestFailedException CreateException(Response response) => new(response, null, Instance);

    /// <summary>The error code of a failed response (header or body), or null.</summary>
    public static string? ErrorCode(Response response) =>
        Instance.TryParse(response, out var error, out _) ? error?.Code : null;

    /// <inheritdoc />
    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        ArgumentNullException.ThrowIfNull(response);
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? message = null;
        try
        {
            var body = response.Content?.ToString();
            if (!string.IsNullOrWhiteSpace(body))
            {
                var trimmed = body.TrimStart();
                if (trimmed.StartsWith('<'))
                {
                    var root = XDocument.Parse(trimmed).Root;
                    code ??= root?.Element("Code")?.Value;
                    message = root?.Element("Message")?.Value;
                }
                else if (trimmed.StartsWith('{'))
                {
                    using var json = JsonDocument.Parse(trimmed);
                    if (json.RootElement.TryGetProperty("odata.error", out var odata))
                    {
                        if (code is null && odata.TryGetProperty("code", out var c))
                        {
                            code = c.GetString();
                        }
                        if (odata.TryGetProperty("message", out var m))
                        {
                            message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is System.Xml.XmlException or JsonException or InvalidOperationException)
        {
            // An unparseable body still leaves the status and header code, which is what callers act on.
        }
        error = code is null && message is null ? null : new ResponseError(code, message ?? code);
        return error is not null;
    }
}
