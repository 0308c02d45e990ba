using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hotline.Api;

/// <summary>
/// Reads a JSON body into a request record, turning every failure into a problem that names its field: malformed
/// JSON, a wrong type, an unknown enum value (with its JSON path) and an oversized body.
/// </summary>
public static class JsonBody
{
    public const int DefaultLimit = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit = DefaultLimit) where T : class
    {
        if (request.ContentLength > limit) return (null, Problems.TooLarge(limit));
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Unsupported("Send application/json."));

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return (null, Problems.TooLarge(limit));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, Problems.Invalid("body", "A JSON body is required."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ApiJson.Options);
            return value is null ? (null, Problems.Invalid("body", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Problems.Invalid(field, Clean(ex.Message)));
        }
    }

    // The serializer's messages name .NET types; integrators need the JSON words.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return text.Contains("could not be converted", StringComparison.Ordinal) ? "The value has the wrong type or is not one of the allowed values." : text;
    }
}

/// <summary>Collects field errors for one response.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, "Required."); return null; }
        if (value.Length > maxLength) { Add(field, $"At most {maxLength} characters."); return null; }
        return value.Trim();
    }

    public string? Optional(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        if (value.Length > maxLength) { Add(field, $"At most {maxLength} characters."); return null; }
        return value.Trim();
    }

    public T? Enum<T>(string field, T? value, bool required = true) where T : struct, System.Enum
    {
        if (value is null && required) Add(field, $"Required; one of: {string.Join(", ", System.Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
        return value;
    }

    /// <summary>An optional enum query parameter in its API spelling (camelCase), or an error listing the allowed values.</summary>
    public T? QueryEnum<T>(string field, string? value) where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        foreach (var candidate in System.Enum.GetValues<T>())
        {
            if (JsonNamingPolicy.CamelCase.ConvertName(candidate.ToString()) == value) return candidate;
        }
        Add(field, $"One of: {string.Join(", ", System.Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
        return null;
    }

    /// <summary>The paging parameters of a staff list: pageSize (1-200, default 50) and an opaque continuationToken.</summary>
    public (int PageSize, string? ContinuationToken) Paging(IQueryCollection query)
    {
        var pageSize = 50;
        if (query["pageSize"].ToString() is { Length: > 0 } text &&
            (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 200))
        {
            Add("pageSize", "A whole number from 1 to 200.");
        }
        var token = query["continuationToken"].ToString();
        if (token.Length == 0) return (pageSize, null);
        try
        {
            Hotline.Runtime.Projections.MatterIndex.DecodeToken(token);
        }
        catch (FormatException ex)
        {
            Add("continuationToken", ex.Message);
        }
        return (pageSize, token);
    }

    /// <summary>The instants a query may name: the years 2000 to 2100 (China Standard Time). Outside them no matter
    /// exists, and the storage keys and the calendar arithmetic derived from an instant would overflow or mean nothing.</summary>
    public static readonly DateTimeOffset EarliestInstant = new(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public static readonly DateTimeOffset LatestInstant = new(2101, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Checks that a parsed query instant lies in the supported years; null when it does not (the field is named).</summary>
    public DateTimeOffset? Supported(string field, DateTimeOffset? value)
    {
        if (value is not { } v || (v >= EarliestInstant && v < LatestInstant)) return value;
        Add(field, "An instant in the years 2000 to 2100.");
        return null;
    }

    public IResult ToProblem() => Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
