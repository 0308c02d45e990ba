using System.Text.Json;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>Long-running matters and legal procedures (Guangzhou, seeds/004) and escalation (Weifang 23).</summary>
public sealed class LongTermRuleTests
{
    private const string Guidance = "city-water-bureau";

    private static Story Handling(string profile) =>
        new Story(profile).Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:10"));

    private static IReadOnlyList<AlarmKind> Pending(Story story) => [.. MatterAlarms.Of(story.Matter).Select(a => a.Kind)];

    [Fact]
    public void A_long_running_matter_notifies_organizer_and_guidance_department_and_holds_the_ordinary_deadline_Guangzhou_long_running()
    {
        var story = new Story("guangzhou").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        var mark = new MarkLongRunning(Dispatcher, Guidance, "市民持续反映，需长期推进");
        story.Refuses(mark, T("2026-03-02 10:05"), RefusalCodes.WrongStatus); // not signed yet
        story.Signed(T("2026-03-02 10:10"));
        story.Refuses(mark with { Actor = Unit }, T("2026-03-03 10:00"), RefusalCodes.ActorNotAllowed);
        story.Refuses(mark with { GuidanceDepartment = " " }, T("2026-03-03 10:00"), RefusalCodes.InvalidInput);
        var heldDue = story.Matter.Deadlines.DueBy;
        story.Do(mark, T("2026-03-03 10:00"));

        var m = story.Matter;
        Assert.True(m.LongTerm.LongRunningActive);
        Assert.Equal("longRunning", m.LongTerm.ClockHeldBy);
        Assert.Equal(T("2026-03-17 18:00"), m.LongTerm.LongRunning!.PlanBy); // 10 working days (platform setting)
        Assert.Equal(heldDue, m.Deadlines.DueBy); // held, not moved
        Assert.DoesNotContain(AlarmKind.HandlingDue, Pending(story));
        Assert.DoesNotContain(AlarmKind.ExtensionCutoff, Pending(story));
        Assert.Contains(AlarmKind.SolutionPlanDue, Pending(story));

        var notices = MatterNotices.For(m, story.History.TakeLast(1));
        Assert.Equal([(NoticeKind.LongRunningMarked, Lead, Recipient.Handler, true), (NoticeKind.LongRunningGuidance, Guidance, Recipient.Leader, false)],
            notices.Select(n => (n.Kind, n.Organizer, n.Recipient, n.CarriesLink)));
        Assert.Contains("广州", NoticeText.Render(notices[0], m.Id, "https://h.example/o/t"), StringComparison.Ordinal);

        // The organizer cannot reply, extend or return while the clock is held; a second long-term procedure waits too.
        story.Refuses(new SubmitReply(Unit, "已处理", []), T("2026-03-04 10:00"), RefusalCodes.ClockHeld);
        story.Refuses(new ApplyForExtension(Unit, 2, "需协调"), T("2026-03-04 10:00"), RefusalCodes.ClockHeld);
        story.Refuses(new EscalateMatter(Dispatcher, "无法解决"), T("2026-03-04 10:00"), RefusalCodes.ClockHeld);
        story.Refuses(new StartLegalProcedure(Unit, LegalProcedureKind.Litigation, "诉讼"), T("2026-03-04 10:00"), RefusalCodes.ClockHeld);
        // Far past the held deadline, the ordinary deadline's alarm is not pending: nobody is overdue on it.
        story.Refuses(new FireAlarm(new Alarm(AlarmKind.HandlingDue, heldDue!.Value)), T("2026-03-20 10:00"), RefusalCodes.AlarmStale);
    }

    [Fact]
    public void The_organizer_submits_a_solution_plan_then_staged_feedback_at_the_profiles_interval_and_lateness_alarms_Guangzhou_long_running()
    {
        var story = Handling("guangzhou").Do(new MarkLongRunning(Dispatcher, Guidance, "需长期推进"), T("2026-03-03 10:00"));
        story.Refuses(new GiveStagedFeedback(Unit, "进展"), T("2026-03-04 10:00"), RefusalCodes.SolutionPlanMissing);
        story.Refuses(new SubmitSolutionPlan(Actor.Organizer(Other), "方案"), T("2026-03-04 10:00"), RefusalCodes.NotTheOrganizer);
        story.Refuses(new SubmitSolutionPlan(Unit, " "), T("2026-03-04 10:00"), RefusalCodes.InvalidInput);

        // The plan is late: the alarm tells the unit's leader and the guidance department.
        story.Fire(AlarmKind.SolutionPlanDue);
        var late = MatterNotices.For(story.Matter, story.History.TakeLast(1));
        Assert.Equal([(NoticeKind.SolutionPlanOverdue, Lead, Recipient.Leader), (NoticeKind.LongRunningOverdueGuidance, Guidance, Recipient.Leader)],
            late.Select(n => (n.Kind, n.Organizer, n.Recipient)));

        story.Do(new SubmitSolutionPlan(Unit, "分三期改造管网"), T("2026-03-18 10:00"));
        Assert.Equal(T("2026-04-16 18:00"), story.Matter.LongTerm.LongRunning!.NextFeedbackBy); // 20 working days; Qingming (04-04 to 04-06) is not one
        Assert.Equal([AlarmKind.StagedFeedbackDue], Pending(story).Where(k => k is AlarmKind.StagedFeedbackDue or AlarmKind.SolutionPlanDue));

        story.Do(new GiveStagedFeedback(Unit, "一期已完工"), T("2026-04-01 10:00"));
        var r = story.Matter.LongTerm.LongRunning!;
        Assert.Equal("一期已完工", Assert.Single(r.Feedback).Text);
        Assert.Equal(T("2026-04-30 18:00"), r.NextFeedbackBy); // 20 working days
        story.Fire(AlarmKind.StagedFeedbackDue);
        Assert.Equal(NoticeKind.StagedFeedbackOverdue, MatterNotices.For(story.Matter, story.History.TakeLast(1))[0].Kind);
        Assert.DoesNotContain(AlarmKind.StagedFeedbackDue, Pending(story)); // fired once, not repeated
    }

    [Fact]
    public void Ending_a_long_running_matter_gives_the_organizer_a_fresh_limit_to_reply_Guangzhou_long_running()
    {
        var story = Handling("guangzhou").Do(new MarkLongRunning(Dispatcher, Guidance, "需长期推进"), T("2026-03-03 10:00"))
            .Do(new SubmitSolutionPlan(Unit, "方案"), T("2026-03-04 10:00"));
        story.Refuses(new EndLongRunning(Unit, "完成"), T("2026-05-06 10:00"), RefusalCodes.ActorNotAllowed);
        story.Do(new EndLongRunning(Dispatcher, "问题已解决"), T("2026-05-06 10:00"));
        var m = story.Matter;
        Assert.False(m.LongTerm.LongRunningActive);
        Assert.Equal(T("2026-05-12 18:00"), m.Deadlines.DueBy); // 5 working days from the end (the May holiday and its make-up Saturday counted)
        Assert.Contains(AlarmKind.HandlingDue, Pending(story));
        Assert.DoesNotContain(AlarmKind.StagedFeedbackDue, Pending(story));
        Assert.Equal(NoticeKind.LongTermEnded, Assert.Single(MatterNotices.For(m, story.History.TakeLast(1))).Kind);
        story.Refuses(new GiveStagedFeedback(Unit, "进展"), T("2026-05-07 10:00"), RefusalCodes.LongRunningNotActive);
        story.Replied(T("2026-05-07 10:00"));
        Assert.Equal(MatterStatus.ReplyUnderReview, story.Matter.Status);
    }

    [Fact]
    public void The_assessment_judges_a_long_running_matter_by_its_fresh_deadline_not_the_held_one_Guangzhou_long_running()
    {
        var story = Handling("guangzhou");
        var held = story.Matter.Deadlines.DueBy!.Value;
        story.Do(new MarkLongRunning(Dispatcher, Guidance, "需长期推进"), T("2026-03-03 10:00"))
            .Do(new SubmitSolutionPlan(Unit, "方案"), T("2026-03-04 10:00"))
            .Do(new EndLongRunning(Dispatcher, "问题已解决"), T("2026-05-06 10:00"))
            .Replied(T("2026-05-07 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-05-07 11:00"));
        var assignment = Assert.Single(MatterFacts.From(story.History).Assignments);
        Assert.Equal(T("2026-05-12 18:00"), assignment.DueBy);
        Assert.True(assignment.RepliedAt > held && assignment.RepliedAt <= assignment.DueBy); // months past the held deadline, yet on time
    }

    [Fact]
    public void A_legal_procedure_holds_the_deadline_and_its_end_asks_for_the_final_situation_within_3_working_days_Guangzhou_legal_procedure()
    {
        var story = Handling("guangzhou");
        var due = story.Matter.Deadlines.DueBy!.Value;
        story.Refuses(new StartLegalProcedure(CallCentre, LegalProcedureKind.Litigation, "诉讼"), T("2026-03-03 10:00"), RefusalCodes.ActorNotAllowed);
        story.Refuses(new EndLegalProcedure(Unit, "结束"), T("2026-03-03 10:00"), RefusalCodes.LegalProcedureNotRunning);
        story.Do(new StartLegalProcedure(Unit, LegalProcedureKind.AdministrativeReconsideration, "已申请行政复议"), T("2026-03-03 10:00"));
        Assert.Equal("legalProcedure", story.Matter.LongTerm.ClockHeldBy);
        Assert.DoesNotContain(AlarmKind.HandlingDue, Pending(story));
        story.Refuses(new FireAlarm(new Alarm(AlarmKind.HandlingDue, due)), T("2026-04-20 10:00"), RefusalCodes.AlarmStale);
        Assert.False(story.Matter.Supervised);

        story.Do(new EndLegalProcedure(Unit, "复议决定已作出"), T("2026-04-20 10:00")); // Monday
        var m = story.Matter;
        Assert.Equal(T("2026-04-23 18:00"), m.LongTerm.LegalProcedure!.ReportBy); // 3 working days
        Assert.Equal(m.LongTerm.LegalProcedure.ReportBy, m.Deadlines.DueBy);
        Assert.True(m.LongTerm.FinalReportDue(m));
        var notice = Assert.Single(MatterNotices.For(m, story.History.TakeLast(1)));
        Assert.Equal((NoticeKind.FinalReportDue, T("2026-04-23 18:00")), (notice.Kind, notice.Deadline));
        story.Refuses(new ApplyForExtension(Unit, 1, "需更多时间"), T("2026-04-21 10:00"), RefusalCodes.FinalReportNotExtendable);

        // Not reported in time: overdue and supervised like any handling deadline.
        story.Fire(AlarmKind.HandlingDue);
        Assert.Contains(story.Matter.Supervision, s => s.Reason == SupervisionReason.HandlingOverdue && s.Since == T("2026-04-23 18:00"));
        story.Replied(T("2026-04-24 10:00")); // the reply is the report of the final situation
        Assert.False(story.Matter.LongTerm.FinalReportDue(story.Matter));
    }

    [Fact]
    public void Staff_may_record_the_end_of_a_legal_procedure_and_the_report_goes_to_review_Guangzhou_legal_procedure()
    {
        var story = Handling("guangzhou").Do(new StartLegalProcedure(Dispatcher, LegalProcedureKind.Litigation, "法院已立案"), T("2026-03-03 10:00"));
        story.Refuses(new SubmitReply(Unit, "等待判决", []), T("2026-03-04 10:00"), RefusalCodes.ClockHeld);
        story.Do(new EndLegalProcedure(Dispatcher, "判决已生效"), T("2026-03-10 10:00"));
        story.Replied(T("2026-03-11 10:00"));
        story.Do(new ReviewReply(Dispatcher, true, null), T("2026-03-11 11:00"));
        Assert.Equal(MatterStatus.AwaitingEvaluation, story.Matter.Status);
    }

    [Fact]
    public void An_escalation_has_its_own_owner_clock_and_outcome_study_then_executive_meeting_Weifang_art_23()
    {
        var story = Handling("weifang");
        story.Refuses(new EscalateMatter(Unit, "无法解决"), T("2026-03-03 10:00"), RefusalCodes.ActorNotAllowed);
        story.Refuses(new EscalateMatter(Dispatcher, " "), T("2026-03-03 10:00"), RefusalCodes.InvalidInput);
        story.Do(new EscalateMatter(Dispatcher, "涉及多部门，承办单位无法解决"), T("2026-03-03 10:00"));
        var e = story.Matter.LongTerm.Escalation!;
        Assert.Equal(("municipal-government-office", EscalationStage.Study, T("2026-03-31 17:30")), (e.Owner, e.Stage, e.DueBy)); // 20 working days
        Assert.Equal("escalation", story.Matter.LongTerm.ClockHeldBy);
        Assert.DoesNotContain(AlarmKind.HandlingDue, Pending(story));
        Assert.Contains(AlarmKind.EscalationDue, Pending(story));
        Assert.Equal(NoticeKind.MatterEscalated, Assert.Single(MatterNotices.For(story.Matter, story.History.TakeLast(1))).Kind);

        story.Refuses(new RecordEscalationOutcome(Dispatcher, EscalationOutcome.DecidedByExecutiveMeeting, "常务会议决定"), T("2026-03-10 10:00"),
            RefusalCodes.EscalationOutcomeOutOfOrder);
        story.Fire(AlarmKind.EscalationDue); // the study is late: recorded, and the long-term list shows it
        story.Do(new RecordEscalationOutcome(Dispatcher, EscalationOutcome.PutToExecutiveMeeting, "研究后仍未解决"), T("2026-04-01 10:00"));
        e = story.Matter.LongTerm.Escalation!;
        Assert.Equal(("municipal-executive-meeting", EscalationStage.ExecutiveMeeting), (e.Owner, e.Stage));
        Assert.Contains(new Alarm(AlarmKind.EscalationDue, e.DueBy), MatterAlarms.Of(story.Matter)); // the meeting's own clock
        story.Refuses(new RecordEscalationOutcome(Dispatcher, EscalationOutcome.Resolved, "已解决"), T("2026-04-02 10:00"), RefusalCodes.EscalationOutcomeOutOfOrder);

        story.Do(new RecordEscalationOutcome(Dispatcher, EscalationOutcome.DecidedByExecutiveMeeting, "常务会议决定由区政府实施"), T("2026-04-20 10:00"));
        var m = story.Matter;
        Assert.Equal(EscalationStage.Concluded, m.LongTerm.Escalation!.Stage);
        Assert.Equal(
            [EscalationOutcome.PutToExecutiveMeeting, EscalationOutcome.DecidedByExecutiveMeeting], m.LongTerm.Escalation.Outcomes.Select(o => o.Outcome));
        Assert.Equal(T("2026-04-27 17:30"), m.Deadlines.DueBy); // a fresh 5 working days to carry it out and reply
        Assert.Contains(AlarmKind.HandlingDue, Pending(story));
        Assert.DoesNotContain(AlarmKind.EscalationDue, Pending(story));
        story.Refuses(new RecordEscalationOutcome(Dispatcher, EscalationOutcome.Resolved, "?"), T("2026-04-21 10:00"), RefusalCodes.EscalationNotOpen);
    }

    [Fact]
    public void An_escalation_resolved_by_the_government_office_returns_the_matter_to_its_organizer_Weifang_art_23()
    {
        var story = Handling("weifang").Do(new EscalateMatter(Dispatcher, "无法解决"), T("2026-03-03 10:00"));
        story.Do(new RecordEscalationOutcome(Dispatcher, EscalationOutcome.Resolved, "市府办协调水务、住建解决"), T("2026-03-10 10:00"));
        Assert.False(story.Matter.LongTerm.ClockHeld);
        Assert.Equal(NoticeKind.LongTermEnded, Assert.Single(MatterNotices.For(story.Matter, story.History.TakeLast(1))).Kind);
        story.Replied(T("2026-03-11 10:00"));
    }

    [Fact]
    public void Profiles_say_which_have_the_rules_and_mark_those_offered_from_another_seed_Guangzhou_Weifang_art_23()
    {
        var guangzhou = ProfileCatalog.Get("guangzhou");
        var weifang = ProfileCatalog.Get("weifang");
        Assert.Equal((false, false, true), (guangzhou.LongRunning!.Option, guangzhou.LegalProcedure!.Option, guangzhou.Escalation!.Option));
        Assert.Equal((true, true, false), (weifang.LongRunning!.Option, weifang.LegalProcedure!.Option, weifang.Escalation!.Option));
        Assert.Equal(3, guangzhou.LegalProcedure.ReportWorkingDays);
        foreach (var id in ProfileCatalog.Ids)
        {
            var p = ProfileCatalog.Get(id);
            Assert.All(new[] { p.LongRunning?.Basis, p.LegalProcedure?.Basis, p.Escalation?.Basis }.OfType<string>(),
                b => Assert.Matches(@"Guangzhou|Weifang 23", b));
        }

        // A profile without the rule refuses the command with its own code.
        var without = guangzhou with { LongRunning = null, LegalProcedure = null, Escalation = null };
        var lifecycle = MatterLifecycle.For(without, HolidayCalendar.Embedded);
        var m = Handling("guangzhou").Matter;
        foreach (var command in new MatterCommand[]
                 {
                     new MarkLongRunning(Dispatcher, Guidance, "需长期推进"), new StartLegalProcedure(Unit, LegalProcedureKind.Other, "程序"),
                     new EscalateMatter(Dispatcher, "无法解决"),
                 })
        {
            Assert.Equal(RefusalCodes.RuleNotInProfile, lifecycle.Decide(m, command, T("2026-03-03 10:00")).Refusal?.Code);
        }
    }

    [Fact]
    public void Long_term_events_and_state_round_trip_through_json()
    {
        var story = Handling("guangzhou").Do(new MarkLongRunning(Dispatcher, Guidance, "需长期推进"), T("2026-03-03 10:00"))
            .Do(new SubmitSolutionPlan(Unit, "方案"), T("2026-03-04 10:00")).Do(new GiveStagedFeedback(Unit, "进展"), T("2026-03-05 10:00"))
            .Do(new EndLongRunning(Dispatcher, "结束"), T("2026-03-06 10:00"))
            .Do(new StartLegalProcedure(Unit, LegalProcedureKind.Arbitration, "仲裁"), T("2026-03-06 11:00"))
            .Do(new EndLegalProcedure(Unit, "裁决"), T("2026-03-09 10:00"));
        var json = JsonSerializer.Serialize<IReadOnlyList<MatterEvent>>(story.History, ProfileCatalog.JsonOptions);
        Assert.Contains("\"event\":\"stagedFeedbackGiven\"", json, StringComparison.Ordinal);
        var replayed = Matter.Replay(JsonSerializer.Deserialize<List<MatterEvent>>(json, ProfileCatalog.JsonOptions)!);
        Assert.Equal(JsonSerializer.Serialize(story.Matter, ProfileCatalog.JsonOptions), JsonSerializer.Serialize(replayed, ProfileCatalog.JsonOptions));
    }
}
