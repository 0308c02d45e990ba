using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>A regulation profile may configure its own sessions, e.g. summer hours.</summary>
public class CustomScheduleTests
{
    private static readonly WorkingCalendar Summer = new(
        HolidayCalendar.Embedded,
        new WorkingDaySchedule([Cst.Session("08:30", "12:00"), Cst.Session("14:30", "18:00")]));

    private static readonly WorkingCalendar SingleSession = new(
        HolidayCalendar.Embedded,
        new WorkingDaySchedule([Cst.Session("09:00", "17:00")]));

    [Fact]
    public void Periods_end_at_the_close_of_business_of_the_configured_schedule() =>
        Assert.Equal(Cst.At("2026-10-13 18:00"), Summer.AddWorkingDays(Cst.At("2026-09-30 16:00"), 5));

    [Fact]
    public void Working_time_follows_the_configured_sessions()
    {
        Assert.Equal(Cst.At("2025-07-01 15:30"), Summer.AddWorkingTime(Cst.At("2025-07-01 11:00"), TimeSpan.FromHours(2)));
        Assert.Equal(Cst.At("2025-07-02 08:31"), Summer.AddWorkingTime(Cst.At("2025-07-01 18:00"), TimeSpan.FromMinutes(1)));
        Assert.Equal(Cst.At("2025-07-02 09:00"), Summer.AddWorkingTime(Cst.At("2025-07-01 17:30"), TimeSpan.FromHours(1)));
        Assert.False(Summer.IsWorkingTime(Cst.At("2025-07-01 14:00")));
        Assert.True(Summer.IsWorkingTime(Cst.At("2025-07-01 08:30")));
        Assert.Equal(TimeSpan.FromHours(7), Summer.WorkingTimeBetween(Cst.At("2025-07-01 00:00"), Cst.At("2025-07-02 00:00")));
    }

    [Fact]
    public void Extension_cutoff_uses_the_configured_sessions()
    {
        Assert.Equal(Cst.At("2025-07-01 14:30"), Summer.ExtensionCutoff(Cst.At("2025-07-01 18:00")));
        Assert.Equal(Cst.At("2025-07-01 08:30"), Summer.ExtensionCutoff(Cst.At("2025-07-01 17:59")));
    }

    [Fact]
    public void With_a_single_session_half_a_working_day_is_the_whole_day()
    {
        Assert.Equal(Cst.At("2025-07-01 09:00"), SingleSession.ExtensionCutoff(Cst.At("2025-07-01 17:00")));
        Assert.Equal(Cst.At("2025-06-30 09:00"), SingleSession.ExtensionCutoff(Cst.At("2025-07-01 16:59")));
        Assert.Equal(Cst.At("2025-07-01 17:00"), SingleSession.CloseOfBusiness(Cst.Day("2025-07-01")));
    }

    [Fact]
    public void The_calendar_exposes_the_schedule_and_holidays_it_was_built_with()
    {
        Assert.Equal(new WorkingDaySchedule([Cst.Session("08:30", "12:00"), Cst.Session("14:30", "18:00")]), Summer.Schedule);
        Assert.Same(HolidayCalendar.Embedded, Summer.Holidays);
        Assert.Equal(WorkingDaySchedule.Default, WorkingCalendar.Default.Schedule);
    }
}
