using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Hotline.Api.Security;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Hotline.Api;

// "Too few to rate" must reach the dashboard as an explicit null, so these members are written even when null
// (the API otherwise leaves null members out).

public sealed record RateView([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Value, int Of);

public sealed record HoursView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Median,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P90);

public sealed record RatesView(RateView Response, RateView ReturnApproval, RateView Contact, RateView OnTime, RateView Satisfaction, RateView Rehandling);

public sealed record OrganizerRowView(
    string Organizer,
    Text Name,
    int Received,
    int SignedOnTime,
    int Returned,
    int ReturnsApproved,
    int ContactDue,
    int ContactedOnTime,
    int Completed,
    int CompletedOnTime,
    int Extended,
    int Terminated,
    int Evaluated,
    int Satisfied,
    int HandledAgain,
    int Supervised,
    RatesView Rates,
    HoursView HoursToSign,
    HoursView HoursToComplete,
    double? Score,
    int? Rank,
    int Solved,
    int ExplainedNotSolvable,
    CoOrganizingView CoOrganizing);

/// <summary>A unit's parts as a co-organizer (Fujian 16, 30(4); Weifang 22): missing parts are passive coping.</summary>
public sealed record CoOrganizingView(int Parts, int OnTime, int Late, int Missing);

/// <param name="All">Every organizer together; never scored or ranked.</param>
public sealed record OrganizerReportView(DateTimeOffset From, DateTimeOffset To, int MinimumForRates, bool Weighted, IReadOnlyList<OrganizerRowView> Organizers, OrganizerRowView All);

public sealed record CategoryChangeView(string Category, int Count, int Previous, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Change);

public sealed record DistrictChangeView(string District, int Count, int Previous, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Change);

public sealed record WeekCountView(DateOnly WeekStart, string Category, int Count);

public sealed record RepeatedView(string Category, string District, string Address, int Count, IReadOnlyList<string> Matters);

public sealed record HotspotReportView(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset PreviousFrom,
    DateTimeOffset PreviousTo,
    IReadOnlyList<CategoryChangeView> ByCategory,
    IReadOnlyList<DistrictChangeView> ByDistrict,
    IReadOnlyList<WeekCountView> ByWeek,
    IReadOnlyList<RepeatedView> Repeated);

/// <summary>
/// Assessment and reports (Fujian 24-25; Weifang 26-27, 29): the organizer assessment and the hotspots, as JSON or as
/// CSV for spreadsheets, and the rebuild of the projections they are read from. Staff keys only.
/// </summary>
public static class ReportEndpoints
{
    private static readonly KeyRole[] Staff = [KeyRole.Staff];

    /// <summary>The period when none is asked for.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    /// <summary>The longest period one request may cover: a year and a day, so a leap year fits.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    public const string CsvMediaType = "text/csv";

    public static IEndpointRouteBuilder MapReportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("reports");
        api.MapGet("/reports/organizers", MatterEndpoints.Handler(Organizers)).WithName("organizerReport")
            .WithSummary("The organizer assessment (staff key): per unit, the assignments it received in [from, to) and how it handled them, as they " +
                         "stand now. Rates are {value, of}; value is null when 'of' is below Hotline:Assessment:MinimumForRates. Score and rank only " +
                         "when Hotline:Assessment:Weights are configured. from/to: dates (China time, to inclusive) or ISO 8601 instants with an offset (default: the last 30 days); " +
                         "organizer: one unit. Accept: text/csv for a spreadsheet.")
            .Produces<OrganizerReportView>(StatusCodes.Status200OK, "application/json", CsvMediaType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/reports/hotspots", MatterEndpoints.Handler(HotspotReport)).WithName("hotspotReport")
            .WithSummary("Hotspots (staff key): accepted matters received in [from, to) by category and district, with the previous period of equal " +
                         "length and the relative change (null when there was none before), by ISO week (Monday, CST) and category, and repeated " +
                         "matters (one category, the same address or within 200 m, 2 or more). Accept: text/csv for one row per category.")
            .Produces<HotspotReportView>(StatusCodes.Status200OK, "application/json", CsvMediaType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/projections/rebuild", MatterEndpoints.Handler(Rebuild)).WithName("rebuildProjections").WithTags("operations")
            .WithSummary("Rebuild the staff index and the report facts from the matters' events (staff key). Safe while the system runs.")
            .Produces<RebuildResult>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<IResult> Organizers(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var errors = new FieldErrors();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var period = Period(http.Request.Query, now, errors);
        var organizer = http.Request.Query["organizer"].ToString() is { Length: > 0 } o ? errors.Optional("organizer", o, 64) : null;
        if (errors.Any) return errors.ToProblem();
        AssessmentOptions options;
        try
        {
            options = AssessmentSettings(http.RequestServices.GetRequiredService<IConfiguration>());
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return Results.Problem(title: "The assessment settings are invalid.", detail: ex.Message, statusCode: StatusCodes.Status500InternalServerError,
                type: Problems.TypeBase + "assessment-settings");
        }

        var (from, to) = period!.Value;
        var result = await http.RequestServices.GetRequiredService<AssessmentReports>().OrganizersAsync(from, to, now, options, http.RequestAborted).ConfigureAwait(false);
        var directory = http.RequestServices.GetRequiredService<DirectoryStore>().Directory;
        var view = new OrganizerReportView(from, to, options.MinimumForRates, result.Weighted,
            [.. result.Organizers.Where(f => organizer is null || f.Organizer == organizer).Select(f => Row(f, directory.Find(f.Organizer)?.Name ?? new Text(f.Organizer, f.Organizer)))],
            Row(result.All, new Text("全部承办单位", "All organizers")));
        return WantsCsv(http.Request)
            ? Csv.File(OrganizerCsv(view), $"organizers-{Stamp(from)}-{Stamp(to)}.csv")
            : Results.Ok(view);
    }

    public static async Task<IResult> HotspotReport(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        var errors = new FieldErrors();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var period = Period(http.Request.Query, now, errors);
        if (errors.Any) return errors.ToProblem();

        var (from, to) = period!.Value;
        var report = await http.RequestServices.GetRequiredService<AssessmentReports>().HotspotsAsync(from, to, http.RequestAborted).ConfigureAwait(false);
        var view = new HotspotReportView(report.From, report.To, report.PreviousFrom, report.PreviousTo,
            [.. report.ByCategory.Select(c => new CategoryChangeView(c.Key, c.Count, c.Previous, c.Change))],
            [.. report.ByDistrict.Select(d => new DistrictChangeView(d.Key, d.Count, d.Previous, d.Change))],
            [.. report.ByWeek.Select(w => new WeekCountView(w.WeekStart, w.Category, w.Count))],
            [.. report.Repeated.Select(r => new RepeatedView(r.Category, r.District, r.Address, r.Count, r.Matters))]);
        return WantsCsv(http.Request)
            ? Csv.File(HotspotCsv(view), $"hotspots-{Stamp(from)}-{Stamp(to)}.csv")
            : Results.Ok(view);
    }

    public static async Task<IResult> Rebuild(HttpContext http)
    {
        var (_, denied) = Access.Authorize(http, Staff);
        if (denied is not null) return denied;
        return Results.Ok(await http.RequestServices.GetRequiredService<ProjectionRebuilder>().RebuildAsync(http.RequestAborted).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>Hotline:Assessment:MinimumForRates</c> (default 5) and <c>Hotline:Assessment:Weights:{rate}</c> (none by default),
    /// read per request so a changed setting applies without a restart.
    /// </summary>
    /// <exception cref="ArgumentException">A weight names no rate or is negative, or the minimum is below 1.</exception>
    public static AssessmentOptions AssessmentSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Hotline:Assessment");
        var minimum = section.GetValue("MinimumForRates", 5);
        if (minimum < 1) throw new ArgumentException($"Hotline:Assessment:MinimumForRates must be at least 1, not {minimum}.", nameof(configuration));
        var weights = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var weight in section.GetSection("Weights").GetChildren())
        {
            weights[weight.Key] = double.TryParse(weight.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
                ? w
                : throw new FormatException($"Hotline:Assessment:Weights:{weight.Key} must be a number, not '{weight.Value}'.");
        }
        var options = new AssessmentOptions(minimum, weights);
        options.EffectiveWeights(); // validates the names and values now, not halfway through a report
        return options;
    }

    /// <summary>[from, to) from the query, defaulting to the last 30 days up to now; each bad field is named.</summary>
    private static (DateTimeOffset From, DateTimeOffset To)? Period(IQueryCollection query, DateTimeOffset now, FieldErrors errors)
    {
        var from = QueryPeriod.From(errors, "from", query["from"].ToString());
        var to = QueryPeriod.To(errors, "to", query["to"].ToString());
        if (errors.Any) return null;
        var end = to ?? now;
        var start = from ?? end - DefaultPeriod;
        if (start >= end)
        {
            errors.Add(to is null ? "from" : "to", to is null ? "Must lie before now when 'to' is not given." : "Must lie after 'from'.");
            return null;
        }
        if (end - start > MaxPeriod)
        {
            errors.Add("to", $"A period covers at most {MaxPeriod.TotalDays:0} days.");
            return null;
        }
        return (start, end);
    }

    /// <summary>CSV when the client lists text/csv and does not prefer JSON to it; JSON otherwise.</summary>
    private static bool WantsCsv(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return false;
        double Quality(string type) => accepted.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var csv = Quality(CsvMediaType);
        return csv > 0 && csv >= Quality("application/json");
    }

    private static OrganizerRowView Row(OrganizerFigures f, Text name) => new(
        f.Organizer, name, f.Received, f.SignedOnTime, f.Returned, f.ReturnsApproved, f.ContactDue, f.ContactedOnTime, f.Completed, f.CompletedOnTime,
        f.Extended, f.Terminated, f.Evaluated, f.Satisfied, f.HandledAgain, f.Supervised,
        new RatesView(View(f.Rates.Response), View(f.Rates.ReturnApproval), View(f.Rates.Contact), View(f.Rates.OnTime), View(f.Rates.Satisfaction),
            View(f.Rates.Rehandling)),
        new HoursView(f.HoursToSign.Median, f.HoursToSign.P90), new HoursView(f.HoursToComplete.Median, f.HoursToComplete.P90), f.Score, f.Rank,
        f.Solved, f.ExplainedNotSolvable, new CoOrganizingView(f.CoOrganizing.Parts, f.CoOrganizing.OnTime, f.CoOrganizing.Late, f.CoOrganizing.Missing));

    private static RateView View(Rate r) => new(r.Value, r.Of);

    private static readonly string[] RateColumns = RateNames.All.ToArray();

    /// <summary>One row per unit, then the row of all units together; column names follow the JSON paths.</summary>
    private static IEnumerable<string[]> OrganizerCsv(OrganizerReportView view)
    {
        yield return
        [
            "organizer", "name.zh", "name.en", "received", "signedOnTime", "returned", "returnsApproved", "contactDue", "contactedOnTime", "completed",
            "completedOnTime", "extended", "terminated", "evaluated", "satisfied", "handledAgain", "supervised",
            .. RateColumns.SelectMany(r => new[] { $"rates.{r}.value", $"rates.{r}.of" }),
            "hoursToSign.median", "hoursToSign.p90", "hoursToComplete.median", "hoursToComplete.p90", "score", "rank",
            "solved", "explainedNotSolvable", "coOrganizing.parts", "coOrganizing.onTime", "coOrganizing.late", "coOrganizing.missing",
        ];
        foreach (var o in view.Organizers.Append(view.All))
        {
            RateView[] rates = [o.Rates.Response, o.Rates.ReturnApproval, o.Rates.Contact, o.Rates.OnTime, o.Rates.Satisfaction, o.Rates.Rehandling];
            yield return
            [
                Csv.Text(o.Organizer), Csv.Text(o.Name.Zh), Csv.Text(o.Name.En), Csv.Number(o.Received), Csv.Number(o.SignedOnTime), Csv.Number(o.Returned),
                Csv.Number(o.ReturnsApproved), Csv.Number(o.ContactDue), Csv.Number(o.ContactedOnTime), Csv.Number(o.Completed), Csv.Number(o.CompletedOnTime),
                Csv.Number(o.Extended), Csv.Number(o.Terminated), Csv.Number(o.Evaluated), Csv.Number(o.Satisfied), Csv.Number(o.HandledAgain),
                Csv.Number(o.Supervised),
                .. rates.SelectMany(r => new[] { Csv.Number(r.Value), Csv.Number(r.Of) }),
                Csv.Number(o.HoursToSign.Median), Csv.Number(o.HoursToSign.P90), Csv.Number(o.HoursToComplete.Median), Csv.Number(o.HoursToComplete.P90),
                Csv.Number(o.Score), Csv.Number(o.Rank),
                Csv.Number(o.Solved), Csv.Number(o.ExplainedNotSolvable), Csv.Number(o.CoOrganizing.Parts), Csv.Number(o.CoOrganizing.OnTime),
                Csv.Number(o.CoOrganizing.Late), Csv.Number(o.CoOrganizing.Missing),
            ];
        }
    }

    private static IEnumerable<string[]> HotspotCsv(HotspotReportView view)
    {
        yield return ["category", "count", "previous", "change"];
        foreach (var c in view.ByCategory)
        {
            yield return [Csv.Text(c.Category), Csv.Number(c.Count), Csv.Number(c.Previous), Csv.Number(c.Change)];
        }
    }

    private static string Stamp(DateTimeOffset t) => Hotline.Orchestrations.Time.ChinaTime.ToChina(t).ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 CSV for spreadsheets.</summary>
    private static class Csv
    {
        // Excel reads a CSV file in the machine's legacy code page (GBK on Chinese Windows, 1252 elsewhere) unless the file
        // starts with a UTF-8 byte order mark; without it every unit name in Chinese turns into mojibake.
        private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

        public static IResult File(IEnumerable<string[]> rows, string fileName)
        {
            var text = new StringBuilder();
            foreach (var row in rows)
            {
                text.AppendJoin(',', row.Select(Quote)).Append("\r\n"); // RFC 4180: CRLF ends every record
            }
            return Results.File([.. Bom, .. Encoding.UTF8.GetBytes(text.ToString())], CsvMediaType + "; charset=utf-8; header=present", fileName);
        }

        /// <summary>
        /// A text cell. One that starts like a formula (=, +, -, @, tab, CR) gets a leading apostrophe: category names
        /// come from channel systems, and a spreadsheet would otherwise run them as formulas (CSV injection).
        /// </summary>
        public static string Text(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

        public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

        /// <summary>Invariant digits with a '.' whatever the server's culture; empty for null ("too few to rate").</summary>
        public static string Number(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

        // RFC 4180 2.6-2.7: a field holding a comma, a quote or a line break is quoted, and its quotes doubled.
        private static string Quote(string field) =>
            field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
