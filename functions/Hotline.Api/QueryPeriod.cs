using System.Globalization;
using Hotline.Orchestrations.Time;

namespace Hotline.Api;

/// <summary>
/// The <c>from</c>/<c>to</c> query parameters of lists and reports. People and spreadsheets write dates, programs write
/// instants, and both are accepted: a plain date (<c>2026-11-01</c>) is a China Standard Time calendar day, so
/// <c>from</c> starts at its midnight and <c>to</c> includes the whole day (the period ends at the next midnight). An
/// instant must carry its offset, since one without it is ambiguous.
/// </summary>
public static class QueryPeriod
{
    public const string Help = "A date (2026-11-01, China time; 'to' includes the whole day) or an ISO 8601 instant with an offset, e.g. 2026-11-01T00:00:00+08:00.";

    /// <summary>The start of the period: the instant, or the date's first moment in China.</summary>
    public static DateTimeOffset? From(FieldErrors errors, string field, string? text) => Read(errors, field, text, inclusiveEnd: false);

    /// <summary>The exclusive end of the period: the instant, or the midnight after the date in China.</summary>
    public static DateTimeOffset? To(FieldErrors errors, string field, string? text) => Read(errors, field, text, inclusiveEnd: true);

    private static DateTimeOffset? Read(FieldErrors errors, string field, string? text, bool inclusiveEnd)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.Year is >= 2000 and <= 2100
                ? ChinaTime.At(inclusiveEnd ? day.AddDays(1) : day, TimeOnly.MinValue)
                : errors.Supported(field, FieldErrors.EarliestInstant.AddDays(-1));
        // A '+' left unencoded in a query string arrives as a space: "…T00:00:00 08:00" still means +08:00.
        if (text.Length > 6 && text[^6] == ' ' && text[^3] == ':') text = text[..^6] + "+" + text[^5..];
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (hasOffset && text.Length > 10 && text[10] is 'T' or 't'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            return errors.Supported(field, value);
        errors.Add(field, Help);
        return null;
    }
}
