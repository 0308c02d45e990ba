using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>A year without calendar data falls back to Monday-Friday and is reported, never silently assumed ordinary.</summary>
public class UncoveredYearsTests
{
    // Only 2025 and 2026, so that these tests keep their meaning once 2027 data is embedded.
    private static readonly WorkingCalendar Calendar = new(Cst.Calendars2025And2026, WorkingDaySchedule.Default);

    [Theory]
    [InlineData("2027-01-01", true)] // a Friday; its real New Year status is unknown without data
    [InlineData("2027-01-02", false)] // a Saturday
    [InlineData("2027-01-04", true)] // a Monday
    public void An_uncovered_year_falls_back_to_Monday_to_Friday(string day, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingDay(Cst.Day(day)));

    [Fact]
    public void A_period_reaching_into_an_uncovered_year_is_computed_and_the_year_is_reported()
    {
        var start = Cst.At("2026-12-31 10:00");

        var deadline = Calendar.AddWorkingDays(start, 1);

        Assert.Equal(Cst.At("2027-01-01 17:30"), deadline);
        Assert.Equal([2027], Calendar.UncoveredYears(start, deadline));
    }

    [Fact]
    public void Covered_spans_report_no_uncovered_year() =>
        Assert.Empty(Calendar.UncoveredYears(Cst.At("2025-01-01 00:00"), Cst.At("2026-12-31 23:59")));

    [Fact]
    public void Uncovered_years_are_listed_ascending_whatever_the_order_of_the_bounds()
    {
        var from = Cst.At("2024-12-31 10:00");
        var to = Cst.At("2028-01-01 10:00");

        Assert.Equal([2024, 2027, 2028], Calendar.UncoveredYears(from, to));
        Assert.Equal([2024, 2027, 2028], Calendar.UncoveredYears(to, from));
    }

    [Fact]
    public void Uncovered_years_are_judged_by_China_time_days()
    {
        // 2026-12-31 16:00 UTC is 2027-01-01 00:00 in China.
        var instant = new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);

        Assert.Equal([2027], Calendar.UncoveredYears(instant, instant));
        Assert.Empty(Calendar.UncoveredYears(instant.AddTicks(-1), instant.AddTicks(-1)));
    }

    [Fact]
    public void The_default_calendar_reports_exactly_the_years_missing_from_the_embedded_data()
    {
        var from = Cst.At("2024-06-01 00:00");
        var to = Cst.At("2030-06-01 00:00");
        var expected = Enumerable.Range(2024, 7).Where(y => !HolidayCalendar.Embedded.Covers(y));

        Assert.Equal(expected, WorkingCalendar.Default.UncoveredYears(from, to));
        Assert.Contains(2024, WorkingCalendar.Default.UncoveredYears(from, to));
    }
}
