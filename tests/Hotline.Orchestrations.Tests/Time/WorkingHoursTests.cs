using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>Working time in hours and minutes: sessions, lunch breaks, nights, weekends and holidays.</summary>
public class WorkingHoursTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;

    [Theory]
    [InlineData("2025-03-03 08:59", false)]
    [InlineData("2025-03-03 09:00", true)]
    [InlineData("2025-03-03 11:59", true)]
    [InlineData("2025-03-03 12:00", false)] // sessions are [Start, End)
    [InlineData("2025-03-03 13:29", false)]
    [InlineData("2025-03-03 13:30", true)]
    [InlineData("2025-03-03 17:29", true)]
    [InlineData("2025-03-03 17:30", false)]
    [InlineData("2025-03-08 10:00", false)] // Saturday
    [InlineData("2026-10-10 10:00", true)] // adjusted working Saturday
    [InlineData("2026-10-01 10:00", false)] // National Day
    public void Working_time_is_inside_a_session_of_a_working_day(string instant, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingTime(Cst.At(instant)));

    [Fact]
    public void Working_time_is_judged_in_China_time_whatever_the_offset() =>
        Assert.True(Calendar.IsWorkingTime(new DateTimeOffset(2025, 3, 3, 1, 0, 0, TimeSpan.Zero))); // 09:00 CST

    [Theory]
    [InlineData("2025-03-03 11:00", 120, "2025-03-03 14:30")] // across the lunch break
    [InlineData("2025-03-03 11:00", 60, "2025-03-03 12:00")] // completes the morning: its end, not 13:30
    [InlineData("2025-03-03 12:15", 30, "2025-03-03 14:00")] // starts during lunch
    [InlineData("2025-03-03 07:00", 1, "2025-03-03 09:01")] // starts before opening
    [InlineData("2025-03-03 17:00", 30, "2025-03-03 17:30")] // completes the day: close of business
    [InlineData("2025-03-03 17:00", 60, "2025-03-04 09:30")] // overnight
    [InlineData("2025-03-03 18:00", 180, "2025-03-04 12:00")] // starts after close
    [InlineData("2025-03-07 17:00", 60, "2025-03-10 09:30")] // over a weekend
    [InlineData("2025-03-03 09:00", 7 * 60 * 5, "2025-03-07 17:30")] // a whole working week
    [InlineData("2026-09-30 17:00", 60, "2026-10-08 09:30")] // over the National Day week
    [InlineData("2026-10-09 17:00", 60, "2026-10-10 09:30")] // onto an adjusted working Saturday
    [InlineData("2025-01-27 17:00", 60, "2025-02-05 09:30")] // over the 2025 Spring Festival
    public void Adding_working_time_counts_only_time_inside_sessions_of_working_days(string start, int minutes, string expected) =>
        Assert.Equal(Cst.At(expected), Calendar.AddWorkingTime(Cst.At(start), TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Adding_zero_working_time_returns_the_start_even_outside_working_time()
    {
        var saturdayNight = new DateTimeOffset(2025, 3, 8, 19, 0, 0, TimeSpan.Zero);

        var result = Calendar.AddWorkingTime(saturdayNight, TimeSpan.Zero);

        Assert.Equal(saturdayNight, result);
        Assert.Equal(ChinaTime.Offset, result.Offset);
    }

    [Fact]
    public void Adding_negative_working_time_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingTime(Cst.At("2025-03-03 10:00"), TimeSpan.FromMinutes(-1)));

    [Fact]
    public void Adding_working_time_answers_in_China_time_for_an_input_in_another_offset()
    {
        var result = Calendar.AddWorkingTime(new DateTimeOffset(2025, 3, 3, 3, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(2)); // 11:00 CST

        Assert.Equal(Cst.At("2025-03-03 14:30"), result);
        Assert.Equal(ChinaTime.Offset, result.Offset);
    }

    [Theory]
    [InlineData("2025-03-03 11:00", "2025-03-03 14:30", 120)]
    [InlineData("2025-03-03 12:00", "2025-03-03 13:30", 0)] // the lunch break
    [InlineData("2025-03-07 17:00", "2025-03-10 09:30", 60)] // over a weekend
    [InlineData("2026-09-30 09:00", "2026-10-09 09:00", 14 * 60)] // Sep 30 and Oct 8 only
    [InlineData("2025-03-03 14:30", "2025-03-03 11:00", 0)] // reversed
    [InlineData("2025-03-03 11:00", "2025-03-03 11:00", 0)] // empty
    public void Working_time_between_two_instants_counts_only_session_time(string from, string to, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), Calendar.WorkingTimeBetween(Cst.At(from), Cst.At(to)));

    [Fact]
    public void Working_time_between_long_spans_matches_a_day_by_day_count()
    {
        var from = Cst.At("2024-06-15 10:00");
        var to = Cst.At("2031-03-02 11:00");
        var wholeDays = Enumerable.Range(1, ChinaTime.DayOf(to).DayNumber - ChinaTime.DayOf(from).DayNumber - 1)
            .Select(i => ChinaTime.DayOf(from).AddDays(i))
            .Count(Calendar.IsWorkingDay);
        // June 15 2024 is a Saturday; March 2 2031 is a Sunday: neither adds partial-day time.
        var expected = WorkingDaySchedule.Default.DailyTotal * wholeDays;

        Assert.Equal(expected, Calendar.WorkingTimeBetween(from, to));
    }

    [Fact]
    public void A_covered_year_has_its_working_days_times_seven_hours()
    {
        // 2025: 365 days - 104 weekend days - 13 statutory holidays = 248 working days.
        var year = Calendar.WorkingTimeBetween(Cst.At("2025-01-01 00:00"), Cst.At("2026-01-01 00:00"));

        Assert.Equal(TimeSpan.FromHours(248 * 7), year);
    }
}
