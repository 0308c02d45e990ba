using FsCheck;
using FsCheck.Fluent;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>Invariants of working-time arithmetic over random instants of the covered years 2025-2026.</summary>
public class WorkingCalendarPropertyTests
{
    private const int Runs = 1000;

    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(Runs);

    private static readonly TimeSpan[] InputOffsets =
        [ChinaTime.Offset, TimeSpan.Zero, TimeSpan.FromHours(-5), TimeSpan.FromHours(9.5), TimeSpan.FromHours(14)];

    // Each schedule a profile might plausibly configure: the default, summer hours, touching sessions, one session.
    private static readonly Dictionary<string, WorkingCalendar> Calendars = new()
    {
        ["default"] = WorkingCalendar.Default,
        ["summer"] = new(HolidayCalendar.Embedded, new WorkingDaySchedule([Cst.Session("08:30", "12:00"), Cst.Session("14:30", "18:00")])),
        ["touching"] = new(HolidayCalendar.Embedded, new WorkingDaySchedule(
            [Cst.Session("08:00", "10:00"), Cst.Session("10:00", "11:15"), Cst.Session("13:00", "17:00")])),
        ["single"] = new(HolidayCalendar.Embedded, new WorkingDaySchedule([Cst.Session("09:00", "17:00")])),
    };

    public static TheoryData<string> Schedules => new(Calendars.Keys);

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Adding_working_time_then_measuring_it_round_trips(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), Durations(calendar), (start, amount) =>
            calendar.WorkingTimeBetween(start, calendar.AddWorkingTime(start, amount)) == amount));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Added_working_time_lands_in_working_time_or_at_a_session_end_of_a_working_day(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), Durations(calendar), (start, amount) =>
        {
            var result = calendar.AddWorkingTime(start, amount);
            return amount == TimeSpan.Zero
                ? result == start
                : IsWorkingTimeOrSessionEnd(calendar, result) && result > start && result.Offset == ChinaTime.Offset;
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Adding_working_time_is_monotonic_in_the_start_and_in_the_amount(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), Instants(calendar), Durations(calendar), (a, b, amount) =>
        {
            var (early, late) = a <= b ? (a, b) : (b, a);
            return calendar.AddWorkingTime(early, amount) <= calendar.AddWorkingTime(late, amount);
        }));
        Check.One(Quick, Prop.ForAll(Instants(calendar), Durations(calendar), Durations(calendar), (start, x, y) =>
        {
            var (less, more) = x <= y ? (x, y) : (y, x);
            return calendar.AddWorkingTime(start, less) <= calendar.AddWorkingTime(start, more);
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Working_time_between_is_additive_and_never_exceeds_elapsed_time(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), Instants(calendar), Instants(calendar), (x, y, z) =>
        {
            var sorted = new[] { x, y, z }.Order().ToArray();
            var (a, b, c) = (sorted[0], sorted[1], sorted[2]);
            var whole = calendar.WorkingTimeBetween(a, c);
            return whole == calendar.WorkingTimeBetween(a, b) + calendar.WorkingTimeBetween(b, c)
                && whole >= TimeSpan.Zero && whole <= c - a;
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void A_period_ends_at_close_of_business_of_its_nth_working_day_after_the_start_day(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), Days, (start, days) =>
        {
            var deadline = calendar.AddWorkingDays(start, days);
            var startDay = ChinaTime.DayOf(start);
            var lastDay = ChinaTime.DayOf(deadline);
            var workingDaysCounted = Enumerable.Range(1, lastDay.DayNumber - startDay.DayNumber)
                .Count(i => calendar.IsWorkingDay(startDay.AddDays(i)));
            return deadline == calendar.CloseOfBusiness(lastDay)
                && calendar.IsWorkingDay(lastDay)
                && IsWorkingTimeOrSessionEnd(calendar, deadline)
                && workingDaysCounted == days;
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void A_longer_period_ends_later_and_a_later_start_never_ends_earlier(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), Days, (start, days) =>
            calendar.AddWorkingDays(start, days + 1) > calendar.AddWorkingDays(start, days)
            // "Same day" may equal one day: from a closed or non-working day both mean the next working day.
            && calendar.AddWorkingDays(start, 0) <= calendar.AddWorkingDays(start, 1)));
        Check.One(Quick, Prop.ForAll(Instants(calendar), Instants(calendar), Gen.Choose(0, 30).ToArbitrary(), (a, b, days) =>
        {
            var (early, late) = a <= b ? (a, b) : (b, a);
            return calendar.AddWorkingDays(early, days) <= calendar.AddWorkingDays(late, days);
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Zero_working_days_ends_the_same_working_day_if_still_open(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), start =>
        {
            var day = ChinaTime.DayOf(start);
            var sameDay = calendar.AddWorkingDays(start, 0);
            return calendar.IsWorkingDay(day) && start < calendar.CloseOfBusiness(day)
                ? sameDay == calendar.CloseOfBusiness(day)
                : sameDay == calendar.AddWorkingDays(start, 1);
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Extension_cutoff_leaves_at_least_one_whole_session_before_the_deadline(string schedule)
    {
        var calendar = Calendars[schedule];
        var sessions = calendar.Schedule.Sessions;

        Check.One(Quick, Prop.ForAll(Instants(calendar), deadline =>
        {
            var cutoff = calendar.ExtensionCutoff(deadline);
            var session = sessions.Single(s => s.Start.ToTimeSpan() == ChinaTime.ToChina(cutoff).TimeOfDay);
            var sessionEnd = ChinaTime.At(ChinaTime.DayOf(cutoff), session.End);
            // The latest such session: the next session of working time does not end by the deadline.
            var nextSessionEnd = EndOfSessionContaining(calendar, calendar.AddWorkingTime(sessionEnd, TimeSpan.FromTicks(1)));
            return cutoff <= deadline
                && calendar.IsWorkingTime(cutoff)
                && sessionEnd <= deadline
                && nextSessionEnd > deadline
                && calendar.WorkingTimeBetween(cutoff, deadline) >= calendar.Schedule.ShortestSession
                && cutoff.Offset == ChinaTime.Offset;
        }));
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Working_time_agrees_with_working_days_and_sessions(string schedule)
    {
        var calendar = Calendars[schedule];

        Check.One(Quick, Prop.ForAll(Instants(calendar), instant =>
        {
            var day = ChinaTime.DayOf(instant);
            var time = ChinaTime.ToChina(instant).TimeOfDay;
            var inSession = calendar.Schedule.Sessions.Any(s => s.Start.ToTimeSpan() <= time && time < s.End.ToTimeSpan());
            return calendar.IsWorkingTime(instant) == (calendar.IsWorkingDay(day) && inSession)
                && calendar.UncoveredYears(instant, instant).Count == 0;
        }));
    }

    private static Arbitrary<int> Days => Gen.Choose(1, 40).ToArbitrary();

    // Any minute of 2025-2026, with extra weight on session boundaries and midnight, where off-by-one
    // mistakes live; each in a random input offset, since every rule must run in China time regardless.
    private static Arbitrary<DateTimeOffset> Instants(WorkingCalendar calendar)
    {
        var origin = Cst.At("2025-01-01 00:00");
        const int days = 365 + 365;
        var boundaries = calendar.Schedule.Sessions
            .SelectMany(s => new[] { s.Start, s.End })
            .Append(TimeOnly.MinValue)
            .Select(t => t.ToTimeSpan())
            .ToArray();

        var anyMinute = Gen.Choose(0, days * 24 * 60 - 1).Select(m => origin.AddMinutes(m));
        // Day 0 is left out: its midnight nudged back a minute falls in 2024, which has no calendar data.
        var nearBoundary =
            from day in Gen.Choose(1, days - 1)
            from boundary in Gen.Elements(boundaries)
            from nudge in Gen.Choose(-1, 1)
            select origin.AddDays(day) + boundary + TimeSpan.FromMinutes(nudge);
        var instant =
            from china in Gen.Frequency((3, anyMinute), (2, nearBoundary))
            from offset in Gen.Elements(InputOffsets)
            select china.ToOffset(offset);
        return instant.ToArbitrary();
    }

    // Up to about 25 working days at minute resolution, weighted towards whole sessions and whole days.
    private static Arbitrary<TimeSpan> Durations(WorkingCalendar calendar)
    {
        var sessionLengths = calendar.Schedule.Sessions.Select(s => s.Length).ToArray();
        var daily = calendar.Schedule.DailyTotal;
        var anyMinutes = Gen.Choose(0, (int)(daily.TotalMinutes * 25)).Select(m => TimeSpan.FromMinutes(m));
        var wholeSessions =
            from count in Gen.Choose(1, 10)
            from length in Gen.Elements(sessionLengths)
            select length * count;
        var wholeDays = Gen.Choose(0, 25).Select(n => daily * n);
        return Gen.Frequency((4, anyMinutes), (1, wholeSessions), (1, wholeDays), (1, Gen.Constant(TimeSpan.Zero))).ToArbitrary();
    }

    private static bool IsWorkingTimeOrSessionEnd(WorkingCalendar calendar, DateTimeOffset instant)
    {
        var time = ChinaTime.ToChina(instant).TimeOfDay;
        return calendar.IsWorkingTime(instant)
            || (calendar.IsWorkingDay(ChinaTime.DayOf(instant)) && calendar.Schedule.Sessions.Any(s => s.End.ToTimeSpan() == time));
    }

    private static DateTimeOffset EndOfSessionContaining(WorkingCalendar calendar, DateTimeOffset instant)
    {
        var time = ChinaTime.ToChina(instant).TimeOfDay;
        var session = calendar.Schedule.Sessions.Single(s => s.Start.ToTimeSpan() <= time && time < s.End.ToTimeSpan());
        return ChinaTime.At(ChinaTime.DayOf(instant), session.End);
    }
}
