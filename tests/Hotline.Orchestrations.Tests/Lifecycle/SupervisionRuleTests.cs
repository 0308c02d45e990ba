using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

public sealed class SupervisionRuleTests
{
    private static Story Closed(string profile = "fujian") =>
        new Story(profile).Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:10"))
            .Replied(T("2026-03-03 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Satisfied, null), T("2026-03-04 09:00"));

    [Fact]
    public void A_staff_reminder_is_recorded_and_texts_the_handler_and_the_leader_Fujian_art_24()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00"));
        story.Refuses(new RemindOrganizer(Dispatcher, "请尽快办理"), T("2026-03-02 09:30"), RefusalCodes.WrongStatus); // no organizer yet
        story.Dispatched(T("2026-03-02 10:00"));
        story.Refuses(new RemindOrganizer(Unit, "自我提醒"), T("2026-03-02 10:30"), RefusalCodes.ActorNotAllowed);
        story.Refuses(new RemindOrganizer(Dispatcher, " "), T("2026-03-02 10:30"), RefusalCodes.InvalidInput);
        story.Do(new RemindOrganizer(Dispatcher, "群众多次来电，请尽快办理"), T("2026-03-02 10:30"));

        var reminder = Assert.Single(story.Matter.Reminders);
        Assert.Equal((Lead, "dispatcher-1"), (reminder.Organizer, reminder.By.Id));
        var notices = MatterNotices.For(story.Matter, story.History.TakeLast(1));
        Assert.Equal([Recipient.Handler, Recipient.Leader], notices.Select(n => n.Recipient));
        Assert.All(notices, n => Assert.Equal(NoticeKind.SupervisionReminder, n.Kind));
    }

    [Fact]
    public void A_return_visit_that_confirms_the_solution_is_recorded_on_the_closed_matter_Fujian_art_23()
    {
        var story = Closed();
        story.Do(new RecordReturnVisit(Dispatcher, Solved: true, "市民确认已解决"), T("2026-03-05 10:00"));
        Assert.Equal(MatterStatus.Closed, story.Matter.Status);
        Assert.True(Assert.Single(story.Matter.ReturnVisits).Solved);
    }

    [Fact]
    public void A_return_visit_that_finds_it_unsolved_sends_the_matter_back_to_its_organizer_Weifang_art_25()
    {
        var story = Closed();
        story.Do(new RecordReturnVisit(Dispatcher, Solved: false, "市民表示问题仍存在"), T("2026-03-05 10:00"));
        var m = story.Matter;
        Assert.Equal(MatterStatus.Handling, m.Status);
        Assert.Null(m.Closure);
        Assert.Equal(2, m.HandlingRound);
        Assert.Equal(T("2026-03-19 17:30"), m.Deadlines.DueBy); // a fresh 10 working days
        Assert.Contains(MatterAlarms.Of(m), a => a.Kind == AlarmKind.HandlingDue);
        Assert.Equal(NoticeKind.Rehandling, Assert.Single(MatterNotices.For(m, story.History.TakeLast(2))).Kind);
    }

    [Fact]
    public void Only_closed_handled_matters_are_visited()
    {
        var open = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        open.Refuses(new RecordReturnVisit(Dispatcher, true, "?"), T("2026-03-03 10:00"), RefusalCodes.WrongStatus);
        var answered = new Story("fujian").Submitted(MatterType.Consultation, T("2026-03-02 09:00"))
            .Do(new AnswerOnTheSpot(Dispatcher, "请携带身份证办理", null), T("2026-03-02 09:10"));
        answered.Refuses(new RecordReturnVisit(Dispatcher, true, "?"), T("2026-03-03 10:00"), RefusalCodes.WrongStatus);
        Closed().Refuses(new RecordReturnVisit(CallCentre, true, "?"), T("2026-03-05 10:00"), RefusalCodes.ActorNotAllowed);
    }
}

public sealed class SupervisionSinceTests
{
    [Fact]
    public void An_overdue_matter_is_supervised_since_its_deadline_however_late_the_alarm_arrives()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        story.Fire(AlarmKind.SignOffOverdue, T("2026-03-02 14:45")); // delivered late, e.g. after an outage
        var record = Assert.Single(story.Matter.Supervision);
        Assert.Equal(T("2026-03-02 12:00"), record.Since);
        Assert.Equal(T("2026-03-02 14:45"), story.Matter.Timeline[^1].At);
    }
}
