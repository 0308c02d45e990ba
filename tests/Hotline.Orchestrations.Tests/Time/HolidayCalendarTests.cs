using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

public class HolidayCalendarTests
{
    private const string Header = "# comment\ndate,kind,holiday\n";

    [Fact]
    public void Embedded_calendar_covers_2025_and_2026()
    {
        var calendar = HolidayCalendar.Embedded;

        Assert.True(calendar.Covers(2025));
        Assert.True(calendar.Covers(2026));
        Assert.Contains(2025, calendar.CoveredYears);
        Assert.Same(calendar, HolidayCalendar.Embedded);
    }

    [Fact]
    public void Embedded_rows_are_read_with_their_kind_and_holiday()
    {
        var calendar = HolidayCalendar.Embedded;

        Assert.Equal(new CalendarOverride(Cst.Day("2026-10-10"), CalendarDayKind.Work, "National Day (adjusted working Saturday)"),
            calendar.OverrideFor(Cst.Day("2026-10-10")));
        Assert.Equal(CalendarDayKind.Off, calendar.OverrideFor(Cst.Day("2025-01-28"))?.Kind);
        Assert.Null(calendar.OverrideFor(Cst.Day("2025-03-03")));
    }

    [Fact]
    public void Each_year_balances_its_adjusted_working_days_with_bridged_rest_days_leaving_13_statutory_holidays()
    {
        // Since 2025 there are 13 statutory holiday days (State Council decree 795), and every adjusted
        // working weekend day is paid back by a bridged rest weekday: weekdays - off weekdays + work days
        // must equal the days of the year minus weekend days minus 13.
        foreach (var year in new[] { 2025, 2026 })
        {
            var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(i => new DateOnly(year, 1, 1).AddDays(i)).ToList();
            var weekendDays = days.Count(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
            var workingDays = days.Count(WorkingCalendar.Default.IsWorkingDay);

            Assert.Equal(days.Count - weekendDays - 13, workingDays);
        }
    }

    [Fact]
    public void Parse_accepts_comments_blank_lines_crlf_a_bom_and_commas_in_the_holiday_name()
    {
        var calendar = HolidayCalendar.Parse(["\uFEFF# 2030\r\n\r\ndate,kind,holiday\r\n2030-01-01,off,New Year, observed\r\n# trailing comment\r\n"]);

        Assert.Equal([2030], calendar.CoveredYears);
        Assert.Equal("New Year, observed", calendar.OverrideFor(new DateOnly(2030, 1, 1))?.Holiday);
    }

    [Fact]
    public void Parse_of_no_texts_covers_no_year()
    {
        var calendar = HolidayCalendar.Parse([]);

        Assert.Empty(calendar.CoveredYears);
        Assert.False(calendar.Covers(2025));
    }

    [Theory]
    [InlineData("2030-01-01,off,New Year\n", "line 1", "header")]
    [InlineData(Header + "2030-13-01,off,New Year\n", "line 3", "yyyy-MM-dd")]
    [InlineData(Header + "01/01/2030,off,New Year\n", "line 3", "yyyy-MM-dd")]
    [InlineData(Header + "2030-01-01,holiday,New Year\n", "line 3", "kind")]
    [InlineData(Header + "2030-01-01,off\n", "line 3", "date,kind,holiday")]
    [InlineData(Header + "2030-01-01,off,  \n", "line 3", "holiday name is empty")]
    [InlineData(Header + "2030-01-01,off,New Year\n2031-01-01,off,New Year\n", "line 4", "one year")]
    [InlineData(Header + "2030-01-01,off,New Year\n2030-01-01,off,New Year\n", "line 4", "twice")]
    [InlineData(Header + "2030-01-02,work,Wednesday\n", "line 3", "Wednesday")]
    public void Parse_rejects_a_bad_row_naming_its_line(string text, string line, string reason)
    {
        var error = Assert.Throws<FormatException>(() => HolidayCalendar.Parse(["date,kind,holiday\n2029-01-01,off,New Year", text]));

        Assert.Contains("Calendar text 2, " + line, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_a_text_without_rows_because_it_cannot_say_which_year_it_covers()
    {
        var error = Assert.Throws<FormatException>(() => HolidayCalendar.Parse([Header]));

        Assert.Contains("Calendar text 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_two_texts_for_the_same_year()
    {
        var error = Assert.Throws<FormatException>(() => HolidayCalendar.Parse([Header + "2030-01-01,off,A", Header + "2030-02-01,off,B"]));

        Assert.Contains("2030", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_of_all_years_are_listed_by_date()
    {
        var calendar = HolidayCalendar.Parse([Header + "2031-01-01,off,B", Header + "2030-05-01,off,A\n2030-01-01,off,A"]);

        Assert.Equal([new DateOnly(2030, 1, 1), new DateOnly(2030, 5, 1), new DateOnly(2031, 1, 1)], calendar.Overrides.Select(o => o.Date));
        Assert.Equal([2030, 2031], calendar.CoveredYears);
    }
}
