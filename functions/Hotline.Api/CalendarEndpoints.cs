using System.Globalization;
using System.Text;
using Azure;
using Hotline.Api.Security;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Calendars;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <param name="Source">"shipped" (in the build) or "installed" (by staff over the API).</param>
/// <param name="OverridesShipped">An installed year that replaces the schedule the build ships.</param>
/// <param name="Version">The ETag to send as If-Match to replace this year.</param>
public sealed record CalendarYearView(int Year, CalendarSource Source, DateTimeOffset? InstalledAt, string? InstalledBy, bool OverridesShipped, int Rows, string Version);

/// <param name="MissingYears">Years within reach of deadlines (this year; next year from December) without a schedule.</param>
public sealed record CalendarsView(IReadOnlyList<CalendarYearView> Years, IReadOnlyList<int> MissingYears, string? Warning);

/// <param name="Recomputation">What became of the open matters whose deadlines were provisional for this year.</param>
public sealed record CalendarInstalled(CalendarYearView Year, RecomputeReport Recomputation);

/// <summary>
/// The statutory holiday schedules as operational data. Platform staff list the years in force, read one as csv in the
/// shipped format, and install a year with <c>PUT /api/calendars/{year}</c> (body <c>text/csv</c>): it is validated
/// before anything is stored, is in force on every host within a minute, and the open matters whose deadlines were
/// provisional for that year are recomputed at once.
/// </summary>
/// <remarks>
/// Overriding a year the build ships is deliberate: it needs <c>If-Match</c> with that year's ETag (<c>"shipped"</c>)
/// or <c>*</c>; without it the answer is 428. For other years If-Match is honoured when given (412 when stale).
/// Replacing a year that was already covered does not move deadlines computed under it: they were not provisional.
/// </remarks>
public static class CalendarEndpoints
{
    public const int MaxBytes = 64 * 1024;
    private const string ShippedTag = "\"shipped\"";
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/calendars").WithTags("operations");
        api.MapGet("", MatterEndpoints.Handler(ListCalendars)).WithName("listCalendars")
            .WithSummary("The holiday schedules in force: each year, shipped or installed, when and by whom; and the years missing (staff key).")
            .Produces<CalendarsView>();
        api.MapGet("/{year}", (HttpContext http, string year) => GetCalendar(http, year)).WithName("getCalendar")
            .WithSummary("One year's schedule as text/csv (date,kind,holiday; # comments) with its ETag (staff key).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{year}", (HttpContext http, string year) => PutCalendar(http, year)).WithName("putCalendar")
            .WithSummary("Install a year's schedule (staff key, body text/csv). Overriding a shipped year needs If-Match; If-Match is honoured when given.")
            .Accepts<string>("text/csv").Produces<CalendarInstalled>().Produces<CalendarInstalled>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    public static async Task<IResult> ListCalendars(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var snapshot = await Store(http).RefreshAsync(http.RequestAborted).ConfigureAwait(false);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var missing = HealthEndpoints.MissingYears(snapshot.Holidays, now);
        return Results.Ok(new CalendarsView([.. snapshot.Years.Select(View)], missing, HealthEndpoints.MissingWarning(missing)));
    }

    public static async Task<IResult> GetCalendar(HttpContext http, string year)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        if (ParseYear(year) is not { } y) return Problems.Invalid("year", "A year from 2000 to 2099.");
        var snapshot = await Store(http).RefreshAsync(http.RequestAborted).ConfigureAwait(false);
        if (snapshot.Find(y) is not { } found) return Problems.NotFound($"No holiday schedule for {y}; install one with PUT /api/calendars/{y}.");
        http.Response.Headers.ETag = Tag(found);
        var csv = found.Csv ?? found.Schedule.ToCsv($"China statutory holiday schedule for {y}, shipped with the product (orchestrations/Time/Calendars/cn-statutory-{y}.csv).");
        return Results.Text(csv, "text/csv", Encoding.UTF8);
    }

    public static async Task<IResult> PutCalendar(HttpContext http, string year)
    {
        var (caller, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        if (ParseYear(year) is not { } y) return Problems.Invalid("year", "A year from 2000 to 2099.");
        if (http.Request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Unsupported("Send the schedule as text/csv: the header date,kind,holiday, then one row per day.");
        if (http.Request.ContentLength > MaxBytes) return Problems.TooLarge(MaxBytes);

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return Problems.TooLarge(MaxBytes);
            buffer.Write(chunk, 0, read);
        }
        string csv;
        try
        {
            csv = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Invalid("body", "The schedule must be UTF-8 text.");
        }

        var reading = HolidaySchedule.Read(csv, y);
        if (reading.Error is { } error) return Invalid(error);

        var store = Store(http);
        var current = (await store.RefreshAsync(http.RequestAborted).ConfigureAwait(false)).Find(y);
        ETag? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length > 0)
        {
            if (current is null || (ifMatch != "*" && Normalize(ifMatch) != Tag(current))) return Stale(y);
            expected = current.Source == CalendarSource.Installed ? current.Version : default(ETag);
        }
        else if (current is { Source: CalendarSource.Shipped })
        {
            return Results.Problem(title: "If-Match is required to override a shipped schedule.",
                detail: $"The build ships a schedule for {y}. To replace it deliberately, send If-Match: {ShippedTag} (its ETag from GET /api/calendars/{y}).",
                statusCode: StatusCodes.Status428PreconditionRequired, type: Problems.TypeBase + "precondition-required");
        }

        CalendarSnapshot snapshot;
        try
        {
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            snapshot = await store.InstallAsync(reading.Schedule!, csv, caller!.Name, now, expected, http.RequestAborted).ConfigureAwait(false);
        }
        catch (CalendarVersionException)
        {
            return Stale(y);
        }
        var installed = snapshot.Find(y)!;
        // Only a year not covered before can settle provisional deadlines; run the pass here, so the answer says what
        // it did. Every other host runs it too when it sees the year (idempotent), which also covers a pass cut short.
        var recomputation = current is null
            ? await http.RequestServices.GetRequiredService<ProvisionalDeadlines>().RecomputeAsync(http.RequestAborted).ConfigureAwait(false)
            : new RecomputeReport(0, 0, 0);
        http.Response.Headers.ETag = Tag(installed);
        var body = new CalendarInstalled(View(installed), recomputation);
        return current is null ? Results.Created($"/api/calendars/{y}", body) : Results.Ok(body);
    }

    private static IResult Invalid(ScheduleError error)
    {
        var field = error.Line is { } line ? $"line {line}" : "body";
        return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [error.Reason] },
            title: "The schedule is invalid; nothing was stored.", type: Problems.TypeBase + "validation",
            detail: $"{(error.Line is { } l ? $"Line {l}" : "The text")}: {error.Reason}",
            extensions: new Dictionary<string, object?> { ["line"] = error.Line, ["reason"] = error.Reason });
    }

    private static IResult Stale(int year) =>
        Results.Problem(title: "Changed by someone else.", detail: $"The {year} schedule is not at the version sent in If-Match; read it again.",
            statusCode: StatusCodes.Status412PreconditionFailed, type: Problems.TypeBase + "stale-version");

    private static CalendarYearView View(CalendarYear y) =>
        new(y.Year, y.Source, y.InstalledAt, y.InstalledBy, y.OverridesShipped, y.Schedule.Rows.Count, Tag(y));

    /// <summary>A strong HTTP entity tag: "shipped", or the storage ETag (weak, W/"…") wrapped so clients can send it back as is.</summary>
    private static string Tag(CalendarYear y) =>
        y.Source == CalendarSource.Shipped
            ? ShippedTag
            : "\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(y.Version.ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";

    private static string Normalize(string tag)
    {
        var value = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        return "\"" + value.Trim('"') + "\"";
    }

    private static int? ParseYear(string year) =>
        int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2099 ? y : null;

    private static CalendarStore Store(HttpContext http) => http.RequestServices.GetRequiredService<CalendarStore>();
}
