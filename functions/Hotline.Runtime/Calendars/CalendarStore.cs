using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Azure.Data.Tables;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Calendars;

/// <summary>Where a year's schedule in force came from.</summary>
public enum CalendarSource
{
    /// <summary>Embedded in the build (<c>orchestrations/Time/Calendars</c>).</summary>
    Shipped,

    /// <summary>Installed by platform staff over the API, stored in table <c>Settings</c>.</summary>
    Installed,
}

/// <summary>One year's schedule in force: its rows, its origin, and for an installed one when and by whom.</summary>
/// <param name="Version">The storage ETag of an installed year; default for a shipped one.</param>
/// <param name="OverridesShipped">An installed year that replaces the schedule the build ships for the same year.</param>
public sealed record CalendarYear(HolidaySchedule Schedule, CalendarSource Source, DateTimeOffset? InstalledAt, string? InstalledBy, ETag Version,
    bool OverridesShipped, string? Csv)
{
    public int Year => Schedule.Year;
}

/// <summary>The holiday calendar in force on this host, the lifecycle computing with it, and each year's origin.</summary>
public sealed record CalendarSnapshot(HolidayCalendar Holidays, MatterLifecycle Lifecycle, IReadOnlyList<CalendarYear> Years)
{
    public CalendarYear? Find(int year) => Years.FirstOrDefault(y => y.Year == year);
}

/// <summary>Someone installed another version of the year since it was read.</summary>
public sealed class CalendarVersionException(int year) : Exception($"The {year} schedule changed since it was read; read it again and send its ETag as If-Match.");

/// <summary>
/// The statutory holiday schedules in force: the years the build ships, overridden and extended by years platform
/// staff install at run time (table <c>Settings</c>, partition <c>calendar</c>, one row per year holding the csv text as
/// sent). Each host keeps the latest snapshot in memory and refreshes it periodically (<see cref="CalendarRefresher"/>),
/// so a year installed on one host is in force on every host within the refresh interval, without a restart.
/// </summary>
public sealed class CalendarStore(TableClient settings, RegulationProfile profile, HolidayCalendar shipped)
{
    private const string Partition = "calendar";

    private volatile CalendarSnapshot _current = Compose(profile, shipped, []);

    public CalendarSnapshot Current => _current;

    public HolidayCalendar Shipped => shipped;

    /// <summary>Reads the installed years and puts the resulting calendar in force on this host.</summary>
    public async Task<CalendarSnapshot> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var installed = new List<CalendarYear>();
        await foreach (var row in settings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!int.TryParse(row.RowKey, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year)) continue;
            var csv = JsonColumns.Read(row, "Csv");
            // Rows are validated before they are written; one that no longer reads (edited by hand) must not take the
            // calendar down, so it is skipped and the year stays as shipped (or missing, which health reports).
            if (HolidaySchedule.Read(csv, year).Schedule is not { } schedule) continue;
            installed.Add(new CalendarYear(schedule, CalendarSource.Installed, row.GetDateTimeOffset("InstalledAt"), row.GetString("InstalledBy"), row.ETag,
                shipped.Covers(year), csv));
        }
        var snapshot = Compose(profile, shipped, installed);
        _current = snapshot;
        return snapshot;
    }

    /// <summary>
    /// Stores a validated schedule for its year. With <paramref name="expected"/> the installed row must still be at that
    /// version (a shipped year has none, so overriding it is a create); without it the row is created or replaced.
    /// </summary>
    /// <exception cref="CalendarVersionException">The row is not at <paramref name="expected"/>.</exception>
    public async Task<CalendarSnapshot> InstallAsync(HolidaySchedule schedule, string csv, string installedBy, DateTimeOffset now, ETag? expected,
        CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(Partition, schedule.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            ["InstalledAt"] = now,
            ["InstalledBy"] = installedBy,
        };
        JsonColumns.Write(entity, "Csv", csv);
        try
        {
            if (expected is not { } version)
                await settings.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            else if (version == default)
                await settings.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            else
                await settings.UpdateEntityAsync(entity, version, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            throw new CalendarVersionException(schedule.Year);
        }
        return await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    private static CalendarSnapshot Compose(RegulationProfile profile, HolidayCalendar shipped, IReadOnlyList<CalendarYear> installed)
    {
        var years = shipped.CoveredYears.Where(y => installed.All(i => i.Year != y))
            .Select(y => new CalendarYear(shipped.ScheduleOf(y)!, CalendarSource.Shipped, null, null, default, false, null))
            .Concat(installed)
            .OrderBy(y => y.Year)
            .ToArray();
        var holidays = HolidayCalendar.Of(years.Select(y => y.Schedule));
        return new CalendarSnapshot(holidays, MatterLifecycle.For(profile, holidays), years);
    }
}
