using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>
/// Deadlines computed as ordinary weeks, because their year had no holiday data, are computed again once the
/// schedule is installed. The 2027 schedules here are test data, not the State Council's.
/// </summary>
public sealed class RecomputeTests
{
    /// <summary>Two more rest days than ordinary weeks in the first days of 2027 (Friday 1 and Monday 4 January).</summary>
    private const string MoreRest = "date,kind,holiday\n2027-01-01,off,New Year's Day\n2027-01-02,off,New Year's Day\n2027-01-03,off,New Year's Day\n2027-01-04,off,Test rest day\n";

    /// <summary>One more working day than ordinary weeks: Saturday 9 January 2027.</summary>
    private const string MoreWork = "date,kind,holiday\n2027-01-09,work,Test adjusted working Saturday\n";

    private static readonly RegulationProfile Fujian = ProfileCatalog.Get("fujian");

    private static MatterLifecycle With2027(string csv) =>
        MatterLifecycle.For(Fujian, HolidayCalendar.Of([.. HolidayCalendar.Embedded.CoveredYears.Select(y => HolidayCalendar.Embedded.ScheduleOf(y)!),
            HolidaySchedule.Read(csv, 2027).Schedule!]));

    private static Story ProvisionalComplaint() =>
        new Story("fujian").Submitted(MatterType.Complaint, T("2026-12-28 09:00")).Dispatched(T("2026-12-28 10:00"));

    [Fact]
    public void A_provisional_due_date_moves_later_by_the_added_rest_days_exactly_as_if_the_schedule_had_been_there_all_along()
    {
        var story = ProvisionalComplaint();
        Assert.Equal([2027], story.Matter.UncoveredCalendarYears);
        Assert.Equal(T("2027-01-11 17:30"), story.Matter.Deadlines.DueBy);

        var real = With2027(MoreRest);
        var (decision, after) = real.Apply(story.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-28 11:00"));

        Assert.True(decision.Accepted, decision.Refusal?.Message);
        var recomputed = Assert.IsType<DeadlinesRecomputed>(Assert.Single(decision.Events));
        Assert.Equal([2027], recomputed.Years);
        Assert.Equal(T("2027-01-13 17:30"), after!.Deadlines.DueBy); // two rest days more
        Assert.Empty(after.UncoveredCalendarYears);
        Assert.Equal("deadlinesRecomputed", after.Timeline[^1].Event);
        Assert.Contains("dueBy", recomputed.Later);

        // The same commands under a calendar that had 2027 from the start give the same deadlines.
        var known = real.Apply(null, new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Complaint, receivedAt: T("2026-12-28 09:00"))), T("2026-12-28 09:00")).State;
        var dispatched = real.Apply(known, new DispatchMatter(Dispatcher, Lead, ["street-office"]), T("2026-12-28 10:00")).State!;
        Assert.Equal(dispatched.Deadlines, after.Deadlines);

        // The organizer is told of the later due date.
        var notice = Assert.Single(MatterNotices.For(after, decision.Events));
        Assert.Equal((NoticeKind.DeadlinesLater, Lead, T("2027-01-13 17:30")), (notice.Kind, notice.Organizer, notice.Deadline));

        // The alarms follow the new deadlines.
        Assert.Contains(new Alarm(AlarmKind.HandlingDue, T("2027-01-13 17:30")), MatterAlarms.Of(after));
        Assert.DoesNotContain(new Alarm(AlarmKind.HandlingDue, T("2027-01-11 17:30")), MatterAlarms.Of(after));
    }

    [Fact]
    public void A_due_date_announced_to_the_organizer_never_moves_earlier()
    {
        var story = ProvisionalComplaint();
        var real = With2027(MoreWork);
        var fresh = real.Apply(real.Apply(null, new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Complaint, receivedAt: T("2026-12-28 09:00"))), T("2026-12-28 09:00")).State,
            new DispatchMatter(Dispatcher, Lead, ["street-office"]), T("2026-12-28 10:00")).State!;
        Assert.Equal(T("2027-01-09 17:30"), fresh.Deadlines.DueBy); // the real schedule alone would say Saturday the 9th

        var (decision, after) = real.Apply(story.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-29 09:00"));

        Assert.True(decision.Accepted, decision.Refusal?.Message);
        Assert.Equal(T("2027-01-11 17:30"), after!.Deadlines.DueBy);
        Assert.Equal(story.Matter.Deadlines.ExtensionCutoff, after.Deadlines.ExtensionCutoff);
        Assert.Empty(((DeadlinesRecomputed)decision.Events[0]).Later);
        Assert.Empty(MatterNotices.For(after, decision.Events));
        Assert.Empty(after.UncoveredCalendarYears);
    }

    [Fact]
    public void A_deadline_already_passed_stays_as_it_was()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-12-31 09:00")).Dispatched(T("2026-12-31 16:00"));
        Assert.Equal([2027], story.Matter.UncoveredCalendarYears);
        var signBy = story.Matter.Deadlines.SignBy;
        Assert.Equal(2027, signBy!.Value.Year);

        var (decision, after) = With2027(MoreRest).Apply(story.Matter, new RecomputeDeadlines(Actor.System), signBy.Value.AddMinutes(1));

        Assert.True(decision.Accepted, decision.Refusal?.Message);
        Assert.Equal(signBy, after!.Deadlines.SignBy);
        Assert.True(after.Deadlines.DueBy > story.Matter.Deadlines.DueBy);
    }

    [Fact]
    public void A_provisional_dispatch_deadline_is_recomputed_from_the_receipt()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-12-31 09:00"));
        Assert.Equal(T("2027-01-01 17:30"), story.Matter.Deadlines.DispatchBy);

        var (decision, after) = With2027(MoreRest).Apply(story.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-31 10:00"));

        Assert.True(decision.Accepted, decision.Refusal?.Message);
        Assert.Equal(T("2027-01-05 17:30"), after!.Deadlines.DispatchBy);
        Assert.Empty(MatterNotices.For(after, decision.Events)); // no organizer yet
    }

    [Fact]
    public void Matters_in_review_or_closed_or_not_provisional_are_left_alone()
    {
        var real = With2027(MoreRest);
        var inReview = ProvisionalComplaint().Signed(T("2026-12-28 11:00")).Replied(T("2026-12-29 10:00"));
        Assert.Equal(RefusalCodes.WrongStatus, real.Decide(inReview.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-29 11:00")).Refusal!.Code);

        var closed = ProvisionalComplaint().Signed(T("2026-12-28 10:30")).Do(new ApplyForTermination(Unit, "不属实"), T("2026-12-28 11:00"))
            .Do(new DecideTermination(Dispatcher, true, null), T("2026-12-28 12:00"));
        Assert.Equal(RefusalCodes.WrongStatus, real.Decide(closed.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-29 11:00")).Refusal!.Code);

        var story = ProvisionalComplaint();
        var onceOnly = real.Apply(story.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-28 11:00")).State!;
        Assert.Equal(RefusalCodes.NotProvisional, real.Decide(onceOnly, new RecomputeDeadlines(Actor.System), T("2026-12-28 12:00")).Refusal!.Code);
        // Without the year in the calendar there is nothing to recompute yet.
        Assert.Equal(RefusalCodes.NotProvisional, story.Lifecycle.Decide(story.Matter, new RecomputeDeadlines(Actor.System), T("2026-12-28 11:00")).Refusal!.Code);
        Assert.Equal(RefusalCodes.ActorNotAllowed, real.Decide(story.Matter, new RecomputeDeadlines(Unit), T("2026-12-28 11:00")).Refusal!.Code);
    }

    [Fact]
    public void An_installed_schedule_is_read_like_the_shipped_file_and_a_bad_one_names_its_line()
    {
        var shipped = HolidayCalendar.Embedded.ScheduleOf(2026)!;
        var reread = HolidaySchedule.Read(shipped.ToCsv("comment"), 2026);
        Assert.Equal(shipped, reread.Schedule);

        Assert.Equal(new ScheduleError(3, "2027-01-01 is not in 2026; each calendar text covers one year."),
            HolidaySchedule.Read("# c\ndate,kind,holiday\n2027-01-01,off,New Year's Day\n", 2026).Error);
        Assert.Equal(3, HolidaySchedule.Read("date,kind,holiday\n2027-01-09,work,x\n2027-02-30,off,x\n", 2027).Error!.Line);
        Assert.Null(HolidaySchedule.Read("# only a comment\n", 2027).Error!.Line);
    }
}
