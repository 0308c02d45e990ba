using System.Diagnostics.Metrics;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hotline.Api;

public sealed record StorageHealth(bool Reachable, string? Error);

public sealed record CalendarHealth(IReadOnlyList<int> CoveredYears, IReadOnlyList<int> MissingYears, string? Warning);

public sealed record HealthReport(string Status, string Profile, StorageHealth Storage, CalendarHealth Calendar, DateTimeOffset Now);

/// <summary>
/// Health: storage must answer (else 503), and the holiday calendar must cover this year, and next year once its
/// deadlines come within reach (December; the State Council publishes the schedule in November). A missing year
/// makes the report "degraded", with the years named, and is exported as the metric <c>hotline.calendar.missing_years</c>.
/// </summary>
public static class HealthEndpoints
{
    public static Meter Meter => Hotline.Runtime.HotlineMetrics.Meter;

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        HotlineStartup.ObserveCalendar(app.ServiceProvider);
        app.MapGet("/api/health", MatterEndpoints.Handler(GetHealth)).WithName("health").WithTags("operations")
            .WithSummary("Storage reachability and holiday-calendar coverage (no key needed).")
            .Produces<HealthReport>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>The health checks' outcome (<see cref="HotlineHealthChecks"/>) in the answer's own shape.</summary>
    public static async Task<IResult> GetHealth(HttpContext http)
    {
        var sp = http.RequestServices;
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var checks = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync(http.RequestAborted).ConfigureAwait(false);
        var storageEntry = checks.Entries[HotlineHealthChecks.Storage];
        var storage = storageEntry.Status == HealthStatus.Healthy
            ? new StorageHealth(true, null)
            : new StorageHealth(false, storageEntry.Exception?.GetType().Name ?? "Timeout");
        var calendarEntry = checks.Entries[HotlineHealthChecks.Calendar];
        var missing = (int[])calendarEntry.Data[CalendarHealthCheck.Missing];
        var calendar = new CalendarHealth((int[])calendarEntry.Data[CalendarHealthCheck.Covered], missing, MissingWarning(missing));

        var status = checks.Status switch
        {
            HealthStatus.Healthy => "healthy",
            HealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        };
        var report = new HealthReport(status, sp.GetRequiredService<RegulationProfile>().Id, storage, calendar, now);
        return Results.Json(report, statusCode: storage.Reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>What to tell operators about missing years, or null when none is missing.</summary>
    public static string? MissingWarning(IReadOnlyList<int> missing) => missing.Count == 0
        ? null
        : $"No statutory holiday data for {string.Join(", ", missing)}: deadlines there are computed as ordinary weeks (provisional). " +
          $"Install the State Council's schedule with PUT /api/calendars/{missing[0]} (text/csv, staff key); open matters are then recomputed.";

    public static IReadOnlyList<int> MissingYears(HolidayCalendar holidays, DateTimeOffset now)
    {
        var today = ChinaTime.ToChina(now);
        int[] inReach = today.Month == 12 ? [today.Year, today.Year + 1] : [today.Year];
        return [.. inReach.Where(y => !holidays.Covers(y))];
    }
}
