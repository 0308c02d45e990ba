using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>Working days and periods counted in working days, against the 2025 and 2026 State Council schedules.</summary>
public class WorkingDaysTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;

    [Fact]
    public void Period_in_working_days_skips_the_start_day_Civil_Code_art_201()
    {
        // Oct 1-7 off, Sat Oct 10 an adjusted working day: Oct 8, 9, 10, 12, 13.
        var deadline = Calendar.AddWorkingDays(Cst.At("2026-09-30 16:00"), 5);

        Assert.Equal(Cst.At("2026-10-13 17:30"), deadline);
        Assert.Equal(ChinaTime.Offset, deadline.Offset);
    }

    [Theory]
    [InlineData("2026-09-30 00:00")]
    [InlineData("2026-09-30 08:59")]
    [InlineData("2026-09-30 17:29")]
    [InlineData("2026-09-30 23:59")]
    public void Period_ends_the_same_whatever_the_hour_of_the_start_day_Civil_Code_art_201(string start) =>
        Assert.Equal(Cst.At("2026-10-13 17:30"), Calendar.AddWorkingDays(Cst.At(start), 5));

    [Fact]
    public void Period_ends_at_close_of_business_of_its_last_day_Civil_Code_art_203() =>
        Assert.Equal(Cst.At("2025-03-04 17:30"), Calendar.AddWorkingDays(Cst.At("2025-03-03 09:00"), 1));

    [Fact]
    public void Period_is_computed_in_China_time_whatever_the_offset_of_the_start()
    {
        // 2026-09-30 20:00 UTC is already Thursday Oct 1 in China, a holiday: the start day is Oct 1, not Sep 30.
        var deadline = Calendar.AddWorkingDays(new DateTimeOffset(2026, 9, 30, 20, 0, 0, TimeSpan.Zero), 1);

        Assert.Equal(Cst.At("2026-10-08 17:30"), deadline);
        Assert.Equal(ChinaTime.Offset, deadline.Offset);
    }

    [Theory]
    [InlineData("2025-03-03 10:00", "2025-03-03 17:30")] // a working day before close
    [InlineData("2025-03-03 17:29", "2025-03-03 17:30")]
    [InlineData("2025-03-03 17:30", "2025-03-04 17:30")] // already closed
    [InlineData("2025-03-08 10:00", "2025-03-10 17:30")] // a Saturday
    [InlineData("2026-10-01 10:00", "2026-10-08 17:30")] // National Day
    public void Zero_working_days_means_close_of_business_the_same_working_day(string start, string expected) =>
        Assert.Equal(Cst.At(expected), Calendar.AddWorkingDays(Cst.At(start), 0));

    [Fact]
    public void Negative_working_days_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(Cst.At("2025-03-03 10:00"), -1));

    [Theory]
    // New Year 2026: Jan 1-3 off, Sunday Jan 4 adjusted working day.
    [InlineData("2025-12-31 10:00", 1, "2026-01-04 17:30")]
    [InlineData("2025-12-31 10:00", 2, "2026-01-05 17:30")]
    // Spring Festival 2025: Sunday Jan 26 works, Jan 28 - Feb 4 off, Saturday Feb 8 works.
    [InlineData("2025-01-24 15:00", 1, "2025-01-26 17:30")]
    [InlineData("2025-01-24 15:00", 2, "2025-01-27 17:30")]
    [InlineData("2025-01-24 15:00", 3, "2025-02-05 17:30")]
    [InlineData("2025-02-07 15:00", 1, "2025-02-08 17:30")]
    // Spring Festival 2026: Saturday Feb 14 works, Feb 15-23 off, Saturday Feb 28 works.
    [InlineData("2026-02-13 15:00", 1, "2026-02-14 17:30")]
    [InlineData("2026-02-13 15:00", 2, "2026-02-24 17:30")]
    [InlineData("2026-02-27 15:00", 1, "2026-02-28 17:30")]
    // Qingming: 2025 Apr 4-6 off; 2026 Apr 4-6 off.
    [InlineData("2025-04-03 10:00", 1, "2025-04-07 17:30")]
    [InlineData("2026-04-03 10:00", 1, "2026-04-07 17:30")]
    // Labour Day 2025: Sunday Apr 27 works, May 1-5 off.
    [InlineData("2025-04-25 10:00", 1, "2025-04-27 17:30")]
    [InlineData("2025-04-30 10:00", 1, "2025-05-06 17:30")]
    // Labour Day 2026: May 1-5 off, Saturday May 9 works.
    [InlineData("2026-04-30 10:00", 1, "2026-05-06 17:30")]
    [InlineData("2026-05-08 10:00", 1, "2026-05-09 17:30")]
    // Dragon Boat: 2025 May 31 - Jun 2 off; 2026 Jun 19-21 off.
    [InlineData("2025-05-30 10:00", 1, "2025-06-03 17:30")]
    [InlineData("2026-06-18 10:00", 1, "2026-06-22 17:30")]
    // National Day and Mid-Autumn 2025: Sunday Sep 28 works, Oct 1-8 off, Saturday Oct 11 works.
    [InlineData("2025-09-26 10:00", 1, "2025-09-28 17:30")]
    [InlineData("2025-09-30 10:00", 1, "2025-10-09 17:30")]
    [InlineData("2025-09-30 10:00", 3, "2025-10-11 17:30")]
    // Mid-Autumn and National Day 2026: Sunday Sep 20 works, Sep 25-27 and Oct 1-7 off, Saturday Oct 10 works.
    [InlineData("2026-09-18 10:00", 1, "2026-09-20 17:30")]
    [InlineData("2026-09-24 10:00", 1, "2026-09-28 17:30")]
    [InlineData("2026-10-09 10:00", 1, "2026-10-10 17:30")]
    public void Periods_skip_statutory_holidays_and_count_adjusted_working_weekend_days(string start, int days, string expected) =>
        Assert.Equal(Cst.At(expected), Calendar.AddWorkingDays(Cst.At(start), days));

    [Theory]
    [InlineData("2025-01-01", false)] // New Year's Day, a Wednesday
    [InlineData("2025-01-26", true)] // adjusted working Sunday
    [InlineData("2025-01-28", false)]
    [InlineData("2025-02-04", false)]
    [InlineData("2025-02-05", true)]
    [InlineData("2025-02-08", true)] // adjusted working Saturday
    [InlineData("2025-04-04", false)]
    [InlineData("2025-04-27", true)]
    [InlineData("2025-05-05", false)]
    [InlineData("2025-06-02", false)]
    [InlineData("2025-09-28", true)]
    [InlineData("2025-10-08", false)]
    [InlineData("2025-10-11", true)]
    [InlineData("2026-01-02", false)]
    [InlineData("2026-01-04", true)]
    [InlineData("2026-02-14", true)]
    [InlineData("2026-02-23", false)]
    [InlineData("2026-02-28", true)]
    [InlineData("2026-04-06", false)]
    [InlineData("2026-05-05", false)]
    [InlineData("2026-05-09", true)]
    [InlineData("2026-06-19", false)]
    [InlineData("2026-09-20", true)]
    [InlineData("2026-09-25", false)]
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-10", true)]
    [InlineData("2025-03-03", true)] // an ordinary Monday
    [InlineData("2025-03-08", false)] // an ordinary Saturday
    [InlineData("2025-03-09", false)] // an ordinary Sunday
    public void Working_days_are_weekdays_minus_holidays_plus_adjusted_weekend_days(string day, bool working) =>
        Assert.Equal(working, Calendar.IsWorkingDay(Cst.Day(day)));

    [Fact]
    public void Close_of_business_is_the_end_of_the_last_session() =>
        Assert.Equal(Cst.At("2025-03-03 17:30"), Calendar.CloseOfBusiness(Cst.Day("2025-03-03")));
}
