using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Hotline.Api.Open311;

/// <summary>The two wire formats of GeoReport v2: XML is required by the spec, JSON is offered as discovery says.</summary>
public enum Open311Format { Xml, Json }

/// <summary>
/// One value of a GeoReport v2 response, written once and rendered as either format. JSON follows the spec's
/// "Spark convention" (wiki.open311.org/JSON_and_XML_Conversion): an XML container of repeated elements becomes a
/// JSON array, and the root element disappears.
/// </summary>
public abstract record Open311Value
{
    public static Open311Value Of(string? text) => new Open311Text(text);

    public static Open311Value Of(double? number) => number is { } n ? new Open311Number(n) : new Open311Text(null);

    public static Open311Value Of(bool flag) => new Open311Flag(flag);

    public static Open311Value Of(DateTimeOffset? instant) => new Open311Text(instant is { } t ? Open311Time.Format(t) : null);
}

/// <summary>Text; null is written as JSON null and as an empty XML element, like the spec's examples.</summary>
public sealed record Open311Text(string? Value) : Open311Value;

public sealed record Open311Number(double Value) : Open311Value;

public sealed record Open311Flag(bool Value) : Open311Value;

/// <summary>Named fields in the order the spec lists them.</summary>
public sealed record Open311Object(IReadOnlyList<KeyValuePair<string, Open311Value>> Fields) : Open311Value
{
    public static Open311Object Of(params (string Name, Open311Value Value)[] fields) =>
        new([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]);
}

/// <summary>Repeated elements: <c>&lt;services&gt;&lt;service&gt;…</c> in XML, an array in JSON.</summary>
public sealed record Open311List(string ItemElement, IReadOnlyList<Open311Value> Items) : Open311Value;

/// <summary>A whole response: the XML root element's name and its content.</summary>
public sealed record Open311Document(string Root, Open311Value Content)
{
    // Chinese text stays readable in JSON; only what must be escaped is.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public byte[] Render(Open311Format format) => format == Open311Format.Json ? RenderJson() : RenderXml();

    private byte[] RenderJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            WriteJson(json, Content);
        }
        return buffer.ToArray();
    }

    private static void WriteJson(Utf8JsonWriter json, Open311Value value)
    {
        switch (value)
        {
            case Open311Text { Value: null }: json.WriteNullValue(); break;
            case Open311Text t: json.WriteStringValue(t.Value); break;
            case Open311Number n: json.WriteNumberValue(n.Value); break;
            case Open311Flag f: json.WriteBooleanValue(f.Value); break;
            case Open311List l:
                json.WriteStartArray();
                foreach (var item in l.Items) WriteJson(json, item);
                json.WriteEndArray();
                break;
            case Open311Object o:
                json.WriteStartObject();
                foreach (var (name, field) in o.Fields)
                {
                    json.WritePropertyName(name);
                    WriteJson(json, field);
                }
                json.WriteEndObject();
                break;
            default: throw new InvalidOperationException($"Unknown value {value.GetType().Name}.");
        }
    }

    private byte[] RenderXml()
    {
        // The spec: UTF-8, an XML declaration with the encoding, no namespace.
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            WriteXml(xml, Root, Content);
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static void WriteXml(XmlWriter xml, string element, Open311Value value)
    {
        xml.WriteStartElement(element);
        switch (value)
        {
            case Open311Text { Value: null }: break;
            case Open311Text t: xml.WriteString(XmlSafe(t.Value!)); break;
            case Open311Number n: xml.WriteString(n.Value.ToString("R", CultureInfo.InvariantCulture)); break;
            case Open311Flag f: xml.WriteString(f.Value ? "true" : "false"); break;
            case Open311List l:
                foreach (var item in l.Items) WriteXml(xml, l.ItemElement, item);
                break;
            case Open311Object o:
                foreach (var (name, field) in o.Fields) WriteXml(xml, name, field);
                break;
            default: throw new InvalidOperationException($"Unknown value {value.GetType().Name}.");
        }
        xml.WriteEndElement();
    }

    /// <summary>
    /// Citizens' text may hold control characters that XML 1.0 cannot carry at all; dropping them beats failing the
    /// response. The test is per code point: emoji and rare CJK characters (outside the BMP, two UTF-16 units) are legal
    /// XML and stay; only a surrogate without its partner is dropped with the control characters.
    /// </summary>
    public static string XmlSafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                kept.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
        }
        return kept.Length == text.Length ? text : kept.ToString();
    }
}

/// <summary>Writes a document with the spec's content types (text/xml or application/json, both UTF-8).</summary>
public sealed class Open311Result(int statusCode, Open311Document document, Open311Format format, string? location = null) : IResult
{
    public int StatusCode => statusCode;

    public Open311Document Document => document;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var body = document.Render(format);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = format == Open311Format.Json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
        response.ContentLength = body.Length;
        Open311Cors.Allow(response);
        if (location is not null) response.Headers.Location = location;
        await response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>
/// CORS for browser clients: Open311 is a public API whose keys travel in the query or form, never in cookies, so every
/// origin may call it; a preflight (OPTIONS) of any Open311 path is answered 204 with what may be sent.
/// </summary>
public static class Open311Cors
{
    public static void Allow(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "Location, Retry-After";
    }

    /// <summary>The answer to a preflight.</summary>
    public static IResult Preflight(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = http.Response;
        Allow(response);
        response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
        response.Headers.AccessControlAllowHeaders = "Content-Type, Accept, x-functions-key";
        response.Headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }
}

/// <summary>Which format the client asked for.</summary>
public static class Open311Formats
{
    /// <summary>
    /// The spec chooses the format by the resource's suffix (<c>/services.xml</c>, <c>/services/01.json</c>). Without a
    /// suffix the Accept header decides, and XML, the format the spec requires, is the default.
    /// </summary>
    public static Open311Format? Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RouteValues.TryGetValue("format", out var suffix) && suffix is string s)
        {
            return s.ToUpperInvariant() switch { "JSON" => Open311Format.Json, "XML" => Open311Format.Xml, _ => null };
        }
        return FromAccept(request);
    }

    /// <summary>
    /// The format to answer an error in, even when the suffix is wrong or no route matched (an error must still be
    /// readable): a path ending in .json gets JSON.
    /// </summary>
    public static Open311Format ForErrors(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RouteValues.ContainsKey("format")) return Resolve(request) ?? FromAccept(request);
        return request.Path.Value?.EndsWith(".json", StringComparison.OrdinalIgnoreCase) == true ? Open311Format.Json
            : request.Path.Value?.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) == true ? Open311Format.Xml
            : FromAccept(request);
    }

    private static Open311Format FromAccept(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return Open311Format.Xml;
        foreach (var type in accepted.OrderByDescending(a => a.Quality ?? 1))
        {
            if (type.Quality == 0) continue;
            if (type.SubType.Equals("json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)) return Open311Format.Json;
            if (type.SubType.Equals("xml", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("xml", StringComparison.OrdinalIgnoreCase)) return Open311Format.Xml;
        }
        return Open311Format.Xml;
    }
}

/// <summary>The spec's date format: the W3C profile of ISO 8601 with a required offset (wiki.open311.org/GeoReport_v2, "Date/time format").</summary>
public static class Open311Time
{
    public static string Format(DateTimeOffset instant) =>
        Hotline.Orchestrations.Time.ChinaTime.ToChina(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static readonly string[] W3Formats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Parses a W3C date-time; one without "Z" or an offset is refused, as the spec requires it.</summary>
    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        var hasZone = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasZone && DateTimeOffset.TryParseExact(text, W3Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }
}
