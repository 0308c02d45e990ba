using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

public class WorkingDayScheduleTests
{
    [Fact]
    public void Default_schedule_is_0900_to_1200_and_1330_to_1730()
    {
        var schedule = WorkingDaySchedule.Default;

        Assert.Equal([Cst.Session("09:00", "12:00"), Cst.Session("13:30", "17:30")], schedule.Sessions);
        Assert.Equal(TimeSpan.FromHours(7), schedule.DailyTotal);
        Assert.Equal(TimeSpan.FromHours(3), schedule.ShortestSession);
    }

    [Theory]
    [InlineData("12:00", "09:00")]
    [InlineData("09:00", "09:00")]
    public void A_session_must_start_before_it_ends(string start, string end) =>
        Assert.Throws<ArgumentException>(() => Cst.Session(start, end));

    [Fact]
    public void A_schedule_without_sessions_is_rejected_so_no_search_can_loop_forever() =>
        Assert.Throws<ArgumentException>(() => new WorkingDaySchedule([]));

    [Fact]
    public void Sessions_must_be_sorted() =>
        Assert.Throws<ArgumentException>(() => new WorkingDaySchedule([Cst.Session("13:30", "17:30"), Cst.Session("09:00", "12:00")]));

    [Fact]
    public void Sessions_must_not_overlap() =>
        Assert.Throws<ArgumentException>(() => new WorkingDaySchedule([Cst.Session("09:00", "12:00"), Cst.Session("11:59", "17:30")]));

    [Fact]
    public void Touching_sessions_are_allowed()
    {
        var schedule = new WorkingDaySchedule([Cst.Session("09:00", "12:00"), Cst.Session("12:00", "17:00")]);

        Assert.Equal(TimeSpan.FromHours(8), schedule.DailyTotal);
    }

    [Fact]
    public void Schedules_with_the_same_sessions_are_equal()
    {
        var copy = new WorkingDaySchedule([Cst.Session("09:00", "12:00"), Cst.Session("13:30", "17:30")]);

        Assert.Equal(WorkingDaySchedule.Default, copy);
        Assert.Equal(WorkingDaySchedule.Default.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(WorkingDaySchedule.Default, new WorkingDaySchedule([Cst.Session("09:00", "12:00")]));
    }

    [Fact]
    public void A_schedule_is_not_changed_by_later_changes_to_the_callers_list()
    {
        var sessions = new List<WorkingSession> { Cst.Session("09:00", "12:00") };
        var schedule = new WorkingDaySchedule(sessions);

        sessions.Add(Cst.Session("08:00", "08:30"));

        Assert.Single(schedule.Sessions);
    }
}
