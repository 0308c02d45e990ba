using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>Each rule of the lifecycle, named by the article it comes from, with its refusals.</summary>
public sealed class RuleTests
{
    private static Story Signed(string profile, MatterType type = MatterType.Complaint) =>
        new Story(profile).Submitted(type, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"));

    // ---- Intake and acceptance ----

    [Fact]
    public void Intake_must_be_dispatched_within_one_working_day_Fujian_art_14()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-06 16:00")); // a Friday
        Assert.Equal(T("2026-03-09 17:30"), story.Matter.Deadlines.DispatchBy);
        Assert.Equal([new Alarm(AlarmKind.DispatchDue, T("2026-03-09 17:30"))], MatterAlarms.Of(story.Matter));

        story.Fire(AlarmKind.DispatchDue);
        Assert.True(story.Matter.DispatchOverdue);
        Assert.Empty(MatterAlarms.Of(story.Matter));
    }

    [Fact]
    public void A_matter_is_submitted_once_and_needs_the_citizens_phone_Weifang_art_11()
    {
        var story = new Story("weifang").Submitted(MatterType.Report, T("2026-03-02 09:00"));
        story.Refuses(new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Report)), T("2026-03-02 09:05"), RefusalCodes.MatterExists);

        var fresh = new Story("weifang");
        var noPhone = IntakeOf(MatterType.Report) with { Citizen = new Citizen("李四", " ", false) };
        var refusal = fresh.Refuses(new SubmitMatter(CallCentre, "M-2", noPhone), T("2026-03-02 09:05"), RefusalCodes.InvalidInput);
        Assert.StartsWith("citizen.phone", refusal.Message);
        fresh.Refuses(new SubmitMatter(CallCentre, "M-3", IntakeOf(MatterType.Report, receivedAt: T("2026-03-03 09:00"))), T("2026-03-02 09:05"), RefusalCodes.InvalidInput);
        fresh.Refuses(new SubmitMatter(Actor.Organizer("x"), "M-4", IntakeOf(MatterType.Report)), T("2026-03-02 09:05"), RefusalCodes.ActorNotAllowed);
    }

    [Fact]
    public void Inadmissible_matters_are_rejected_with_the_profiles_reason_and_article_Weifang_art_19()
    {
        var story = new Story("weifang").Submitted(MatterType.Complaint, T("2026-03-02 09:00"));
        story.Refuses(new RejectMatter(Dispatcher, "emergency", null), T("2026-03-02 09:10"), RefusalCodes.UnknownRejectionReason); // not a Weifang reason
        story.Refuses(new RejectMatter(CallCentre, "petition", null), T("2026-03-02 09:10"), RefusalCodes.ActorNotAllowed);

        story.Do(new RejectMatter(Dispatcher, "petition", "已进入信访程序"), T("2026-03-02 09:10"));
        Assert.Equal(MatterStatus.Rejected, story.Matter.Status);
        Assert.Equal(new Rejection("petition", "Weifang 19(2)", "已进入信访程序"), story.Matter.Rejection);
        Assert.Empty(MatterAlarms.Of(story.Matter));
        story.Refuses(new DispatchMatter(Dispatcher, Lead, []), T("2026-03-02 09:20"), RefusalCodes.WrongStatus);
    }

    [Fact]
    public void Only_consultations_are_answered_on_the_spot_Fujian_art_14_Weifang_art_18()
    {
        new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00"))
            .Refuses(new AnswerOnTheSpot(Dispatcher, "请拨打供水热线", "kb-12"), T("2026-03-02 09:05"), RefusalCodes.NotAConsultation);

        var story = new Story("fujian").Submitted(MatterType.Consultation, T("2026-03-02 09:00"))
            .Do(new AnswerOnTheSpot(Dispatcher, "社保卡补办需携带身份证到任一网点", "kb-7"), T("2026-03-02 09:05"));
        Assert.Equal(MatterStatus.Answered, story.Matter.Status);
        Assert.Equal(new OnTheSpotAnswer("社保卡补办需携带身份证到任一网点", "kb-7"), story.Matter.Answer);
    }

    // ---- Dispatch and deadlines ----

    [Fact]
    public void Urgent_matters_are_due_the_same_day_Fujian_art_20_5()
    {
        // "The same day" read as 24 hours round the clock (fujian.json sameDay); the organizer is phoned to sign within 30 minutes.
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:50"), Urgency.Urgent).Dispatched(T("2026-03-02 10:00"));
        Assert.Equal(T("2026-03-03 10:00"), story.Matter.Deadlines.DueBy);
        Assert.Equal(T("2026-03-02 22:00"), story.Matter.Deadlines.ExtensionCutoff);
        Assert.Equal(T("2026-03-02 10:30"), story.Matter.Deadlines.SignBy);
        Assert.Equal(0, story.Matter.LimitWorkingDays);
    }

    [Fact]
    public void Complaints_on_the_convenience_service_list_are_due_in_3_working_days_Fujian_art_20_2()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00"), category: "water-supply").Dispatched(T("2026-03-02 10:00"));
        Assert.Equal(T("2026-03-05 17:30"), story.Matter.Deadlines.DueBy);
    }

    [Theory]
    [InlineData("fujian", 15, "2026-03-16 17:30")]     // longer statutory limit does not prevail: 10 days
    [InlineData("fujian", 2, "2026-03-04 17:30")]      // a stricter one does (001)
    [InlineData("weifang", 15, "2026-03-23 17:30")]    // Weifang 20(2): a longer statutory limit prevails
    [InlineData("weifang", 3, "2026-03-05 17:30")]
    [InlineData("citizen-hotline", 15, "2026-03-09 17:30")]
    public void A_statutory_limit_prevails_as_the_profile_says_001_Weifang_art_20(string profile, int statutory, string due)
    {
        var story = new Story(profile).Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"), statutoryLimit: statutory);
        Assert.Equal(T(due), story.Matter.Deadlines.DueBy);
    }

    [Fact]
    public void Dispatch_needs_a_lead_that_is_not_also_a_co_organizer_Fujian_art_16()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00"));
        story.Refuses(new DispatchMatter(Dispatcher, Lead, [Lead]), T("2026-03-02 10:00"), RefusalCodes.LeadIsCoOrganizer);
        story.Refuses(new DispatchMatter(Dispatcher, "", []), T("2026-03-02 10:00"), RefusalCodes.InvalidInput);
        story.Refuses(new DispatchMatter(Unit, Lead, []), T("2026-03-02 10:00"), RefusalCodes.ActorNotAllowed);
        story.Refuses(new DispatchMatter(Dispatcher, Lead, [], StatutoryLimitWorkingDays: -1), T("2026-03-02 10:00"), RefusalCodes.InvalidInput);
    }

    [Fact]
    public void Deadlines_that_cross_a_year_without_calendar_data_are_marked_provisional()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-12-28 09:00")).Dispatched(T("2026-12-28 10:00"));
        Assert.Equal([2027], story.Matter.UncoveredCalendarYears);
        Assert.Equal(2027, story.Matter.Deadlines.DueBy!.Value.Year);

        var covered = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        Assert.Empty(covered.Matter.UncoveredCalendarYears);
    }

    // ---- Sign-off ----

    [Fact]
    public void Sign_off_within_2_working_hours_with_a_reminder_before_and_supervision_after_001_Fujian_art_17()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 16:00")).Dispatched(T("2026-03-02 17:00"));
        Assert.Equal(T("2026-03-03 10:30"), story.Matter.Deadlines.SignBy);             // 30 min today, 90 tomorrow
        Assert.Equal(T("2026-03-03 10:00"), story.Matter.Deadlines.SignOffReminderAt);  // 30 working minutes before

        var alarms = MatterAlarms.Of(story.Matter).Select(a => a.Kind).ToArray();
        Assert.Equal([AlarmKind.SignOffReminder, AlarmKind.SignOffOverdue, AlarmKind.ReturnWindowEnd, AlarmKind.ContactDue, AlarmKind.ExtensionCutoff, AlarmKind.HandlingDue], alarms);

        story.Refuses(new FireAlarm(new Alarm(AlarmKind.SignOffReminder, T("2026-03-03 10:00"))), T("2026-03-03 09:59"), RefusalCodes.AlarmNotDue);
        story.Fire(AlarmKind.SignOffReminder);
        Assert.False(story.Matter.Supervised);
        story.Fire(AlarmKind.SignOffOverdue, T("2026-03-03 10:31"));
        Assert.True(story.Matter.Supervised);
        Assert.Equal(SupervisionReason.SignOffOverdue, story.Matter.Supervision.Single().Reason);
        Assert.Equal(Lead, story.Matter.Supervision.Single().Organizer);

        // A late sign is still accepted; sign-off alarms are gone.
        story.Signed(T("2026-03-03 11:00"));
        Assert.DoesNotContain(MatterAlarms.Of(story.Matter), a => a.Kind is AlarmKind.SignOffOverdue or AlarmKind.SignOffReminder);
    }

    [Fact]
    public void Only_the_lead_organizer_signs_and_acts()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        story.Refuses(new SignMatter(Actor.Organizer("street-office")), T("2026-03-02 10:10"), RefusalCodes.NotTheOrganizer);
        story.Refuses(new SignMatter(Dispatcher), T("2026-03-02 10:10"), RefusalCodes.ActorNotAllowed);
        story.Refuses(new RecordContact(Unit, "已联系"), T("2026-03-02 10:10"), RefusalCodes.WrongStatus); // sign first
        story.Refuses(new SubmitReply(Unit, "已处理", []), T("2026-03-02 10:10"), RefusalCodes.WrongStatus);
        story.Signed(T("2026-03-02 10:10"));
        story.Refuses(new SignMatter(Unit), T("2026-03-02 10:11"), RefusalCodes.WrongStatus);
    }

    [Fact]
    public void A_sign_off_alarm_made_stale_by_signing_is_refused_and_dropped()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        var overdue = MatterAlarms.Of(story.Matter).Single(a => a.Kind == AlarmKind.SignOffOverdue);
        story.Signed(T("2026-03-02 10:10"));
        story.Refuses(new FireAlarm(overdue), overdue.At, RefusalCodes.AlarmStale);
    }

    [Fact]
    public void An_alarm_fires_once()
    {
        var story = Signed("fujian");
        var cutoff = MatterAlarms.Of(story.Matter).Single(a => a.Kind == AlarmKind.ExtensionCutoff);
        story.Do(new FireAlarm(cutoff), cutoff.At);
        story.Refuses(new FireAlarm(cutoff), cutoff.At.AddMinutes(1), RefusalCodes.AlarmStale);
    }

    // ---- Return ----

    [Fact]
    public void Return_within_one_working_day_then_reassigned_with_fresh_deadlines_001_Fujian_art_17()
    {
        var story = Signed("fujian", MatterType.Help);
        story.Refuses(new ApplyForReturn(Unit, " "), T("2026-03-03 17:00"), RefusalCodes.InvalidInput);
        story.Do(new ApplyForReturn(Unit, "供水管网属市水务集团管理，依据《城市供水条例》"), T("2026-03-03 17:30"));
        Assert.Equal(MatterStatus.ReturnRequested, story.Matter.Status);
        story.Refuses(new DecideReturn(Unit, true, null), T("2026-03-04 09:00"), RefusalCodes.ActorNotAllowed);

        story.Do(new DecideReturn(Dispatcher, true, "改派市水务集团", ReassignTo: Other, CoOrganizers: [], Designated: true), T("2026-03-04 09:00"));
        var m = story.Matter;
        Assert.Equal(MatterStatus.AwaitingSignOff, m.Status);
        Assert.Equal(Other, m.Organizer);
        Assert.True(m.Assignment!.Designated);
        Assert.Equal(Lead, m.PreviousAssignments.Single().Organizer);
        Assert.Equal(T("2026-03-04 11:00"), m.Deadlines.SignBy);
        Assert.Equal(T("2026-03-09 17:30"), m.Deadlines.DueBy); // help: 3 working days from the new assignment
        Assert.True(m.Returns.Single().Approved);

        // Weifang 22: a unit the platform designated may not return it again.
        story.Refuses(new ApplyForReturn(Actor.Organizer(Other), "不属于本单位职责"), T("2026-03-04 10:00"), RefusalCodes.DesignatedUnitMayNotReturn);
    }

    [Fact]
    public void A_return_after_the_window_is_refused_001()
    {
        var story = Signed("citizen-hotline");
        story.Refuses(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-03-03 17:31"), RefusalCodes.ReturnWindowClosed);
    }

    [Theory]
    [InlineData("fujian", true)]
    [InlineData("weifang", true)]
    [InlineData("citizen-hotline", false)]
    public void A_refused_return_puts_the_unit_under_supervision_where_the_profile_says_Weifang_art_26_1(string profile, bool supervised)
    {
        var story = Signed(profile);
        story.Do(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-03-02 11:00"));
        story.Do(new DecideReturn(Dispatcher, false, "属于本单位职责"), T("2026-03-02 14:00"));
        Assert.Equal(MatterStatus.Handling, story.Matter.Status);
        Assert.Equal(supervised, story.Matter.Supervised);
        if (supervised) Assert.Equal(SupervisionReason.RefusedWithinDuties, story.Matter.Supervision.Single().Reason);
    }

    [Fact]
    public void An_approved_return_without_reassignment_waits_for_a_dispatcher()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        story.Do(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-03-02 10:30"));
        story.Do(new DecideReturn(Dispatcher, true, null), T("2026-03-02 11:00"));
        Assert.Equal(MatterStatus.AwaitingDispatch, story.Matter.Status);
        Assert.Null(story.Matter.Organizer);
        Assert.Equal(new Deadlines(DispatchBy: T("2026-03-03 17:30")), story.Matter.Deadlines);
        story.Refuses(new SignMatter(Unit), T("2026-03-02 11:10"), RefusalCodes.NotTheOrganizer);
    }

    // ---- First contact ----

    [Fact]
    public void Help_seekers_are_contacted_within_one_working_day_or_the_matter_is_supervised_Fujian_art_20_4()
    {
        var story = Signed("fujian", MatterType.Help);
        Assert.Equal(T("2026-03-03 17:30"), story.Matter.Deadlines.ContactBy);
        story.Fire(AlarmKind.ContactDue);
        Assert.Equal(SupervisionReason.ContactOverdue, story.Matter.Supervision.Single().Reason);

        var contacted = Signed("fujian", MatterType.Help).Do(new RecordContact(Unit, "已电话联系"), T("2026-03-03 09:00"));
        Assert.DoesNotContain(MatterAlarms.Of(contacted.Matter), a => a.Kind == AlarmKind.ContactDue);

        // A unit the matter is reassigned to owes its own first contact.
        contacted.Do(new ApplyForReturn(Unit, "不属于本单位"), T("2026-03-03 10:00"))
            .Do(new DecideReturn(Dispatcher, true, null, ReassignTo: Other), T("2026-03-03 11:00"));
        Assert.Null(contacted.Matter.ContactedAt);
        Assert.Contains(MatterAlarms.Of(contacted.Matter), a => a.Kind == AlarmKind.ContactDue && a.At == T("2026-03-04 17:30"));
    }

    // ---- Extension ----

    [Fact]
    public void An_extension_is_filed_no_later_than_half_a_working_day_before_the_deadline_Fujian_art_20_6()
    {
        var story = Signed("fujian"); // complaint due 2026-03-16 17:30
        Assert.Equal(T("2026-03-16 13:30"), story.Matter.Deadlines.ExtensionCutoff);
        story.Refuses(new ApplyForExtension(Unit, 5, "需现场勘查"), T("2026-03-16 13:31"), RefusalCodes.ExtensionAfterCutoff);
        story.Do(new ApplyForExtension(Unit, 5, "需现场勘查"), T("2026-03-16 13:30"));
        story.Refuses(new ApplyForExtension(Unit, 1, "再次申请"), T("2026-03-16 13:30"), RefusalCodes.ExtensionPending);

        story.Do(new DecideExtension(Dispatcher, true, "同意"), T("2026-03-16 15:00"));
        Assert.Equal(T("2026-03-23 17:30"), story.Matter.Deadlines.DueBy);   // 5 working days counted from the old deadline
        Assert.Equal(T("2026-03-23 13:30"), story.Matter.Deadlines.ExtensionCutoff);
        Assert.Equal(T("2026-03-23 17:30"), story.Matter.Extensions.Single().NewDueBy);
    }

    [Fact]
    public void An_extension_may_not_exceed_the_original_limit_Fujian_art_20_6()
    {
        var story = Signed("fujian"); // 10 working days
        story.Refuses(new ApplyForExtension(Unit, 11, "需现场勘查"), T("2026-03-05 10:00"), RefusalCodes.ExtensionTooLong);
        story.Refuses(new ApplyForExtension(Unit, 0, "需现场勘查"), T("2026-03-05 10:00"), RefusalCodes.InvalidInput);
        story.Do(new ApplyForExtension(Unit, 10, "需现场勘查"), T("2026-03-05 10:00"));
    }

    [Fact]
    public void At_most_two_extensions_and_refused_ones_do_not_count_001()
    {
        var story = Signed("citizen-hotline"); // 5 working days, due 2026-03-09
        story.Do(new ApplyForExtension(Unit, 2, "一"), T("2026-03-03 10:00")).Do(new DecideExtension(Dispatcher, false, "理由不充分"), T("2026-03-03 11:00"));
        story.Do(new ApplyForExtension(Unit, 2, "二"), T("2026-03-03 14:00")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 15:00"));
        story.Do(new ApplyForExtension(Unit, 2, "三"), T("2026-03-04 10:00")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-04 11:00"));
        Assert.Equal(T("2026-03-13 17:30"), story.Matter.Deadlines.DueBy);
        story.Refuses(new ApplyForExtension(Unit, 1, "四"), T("2026-03-05 10:00"), RefusalCodes.ExtensionTooMany);
        story.Refuses(new DecideExtension(Dispatcher, true, null), T("2026-03-05 10:00"), RefusalCodes.NoPendingExtension);
    }

    // ---- Handling overdue, termination ----

    [Fact]
    public void A_matter_not_handled_within_the_limit_is_supervised_Weifang_art_26_2()
    {
        var story = Signed("weifang");
        story.Fire(AlarmKind.ExtensionCutoff).Fire(AlarmKind.HandlingDue);
        Assert.Equal(SupervisionReason.HandlingOverdue, story.Matter.Supervision.Single().Reason);
        Assert.Equal(MatterStatus.Handling, story.Matter.Status);
        // A late reply is still taken.
        story.Replied(T("2026-03-10 09:00"), withPhoto: false);
        Assert.Equal(MatterStatus.ReplyUnderReview, story.Matter.Status);
    }

    [Fact]
    public void Termination_is_applied_for_in_writing_and_decided_by_the_platform_Weifang_art_21()
    {
        var story = Signed("weifang");
        story.Refuses(new DecideTermination(Dispatcher, true, null), T("2026-03-03 10:00"), RefusalCodes.NoPendingTermination);
        story.Do(new ApplyForTermination(Unit, "诉求人拒不配合现场核实"), T("2026-03-03 10:00"));
        story.Refuses(new ApplyForTermination(Unit, "再次申请"), T("2026-03-03 10:05"), RefusalCodes.TerminationPending);
        story.Do(new DecideTermination(Dispatcher, false, "请继续联系"), T("2026-03-03 11:00"));
        Assert.Equal(MatterStatus.Handling, story.Matter.Status);
        story.Do(new ApplyForTermination(Unit, "诉求人拒不配合现场核实"), T("2026-03-04 10:00"));
        story.Do(new DecideTermination(Dispatcher, true, "已向诉求人解释"), T("2026-03-04 11:00"));
        Assert.Equal(MatterStatus.Terminated, story.Matter.Status);
        Assert.Empty(MatterAlarms.Of(story.Matter));
        story.Refuses(new SignMatter(Unit), T("2026-03-04 12:00"), RefusalCodes.WrongStatus);
        story.Refuses(new FireAlarm(new Alarm(AlarmKind.HandlingDue, T("2026-03-09 17:30"))), T("2026-03-09 17:30"), RefusalCodes.AlarmStale);
    }

    // ---- Reply, review, evaluation ----

    [Fact]
    public void Evidence_must_be_photos_or_videos_Fujian_art_18()
    {
        var story = Signed("fujian");
        story.Refuses(new SubmitReply(Unit, "已处理", [new EvidenceRef("m-1/a.pdf", "application/pdf", 1000)]), T("2026-03-03 10:00"), RefusalCodes.EvidenceType);
        story.Refuses(new SubmitReply(Unit, "已处理", [new EvidenceRef("m-1/a.jpg", "image/jpeg", 0)]), T("2026-03-03 10:00"), RefusalCodes.EvidenceType);
        story.Refuses(new SubmitReply(Unit, "", [new EvidenceRef("m-1/a.jpg", "image/jpeg", 10)]), T("2026-03-03 10:00"), RefusalCodes.InvalidInput);
        story.Do(new SubmitReply(Unit, "已处理", [new EvidenceRef("m-1/a.mp4", "video/mp4", 10_000)]), T("2026-03-03 10:00"));
    }

    [Fact]
    public void A_reply_sent_back_twice_puts_the_matter_under_supervision_Fujian_art_30()
    {
        var story = Signed("fujian").Replied(T("2026-03-03 10:00"));
        story.Do(new ReviewReply(Dispatcher, false, "未解决"), T("2026-03-03 11:00"));
        Assert.Equal(MatterStatus.Handling, story.Matter.Status);
        Assert.False(story.Matter.Supervised);
        story.Replied(T("2026-03-04 10:00")).Do(new ReviewReply(Dispatcher, false, "仍未解决"), T("2026-03-04 11:00"));
        Assert.Equal(SupervisionReason.SentBackTwice, story.Matter.Supervision.Single().Reason);
        Assert.Equal(2, story.Matter.SentBackCount);
    }

    [Fact]
    public void Unsatisfied_is_handled_again_once_verified_and_unsatisfied_twice_also_supervised_Fujian_art_22()
    {
        var story = Signed("fujian").Replied(T("2026-03-03 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"));
        Assert.Equal(T("2026-03-10 17:30"), story.Matter.Deadlines.EvaluationBy);

        story.Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, "问题没有解决"), T("2026-03-04 09:00"));
        Assert.Equal(MatterStatus.AwaitingVerification, story.Matter.Status);       // not handled again until verified
        Assert.Empty(MatterAlarms.Of(story.Matter));
        story.Refuses(new VerifyEvaluation(Unit, true, "自查"), T("2026-03-04 09:30"), RefusalCodes.ActorNotAllowed);
        story.Refuses(new VerifyEvaluation(Dispatcher, true, " "), T("2026-03-04 09:30"), RefusalCodes.InvalidInput);
        story.Refuses(new SubmitReply(Unit, "已处理", []), T("2026-03-04 09:30"), RefusalCodes.WrongStatus);

        story.Do(new VerifyEvaluation(Dispatcher, true, "核实属承办单位责任"), T("2026-03-04 10:00"));
        Assert.Equal(MatterStatus.Handling, story.Matter.Status);
        Assert.Equal(2, story.Matter.HandlingRound);
        Assert.Equal(T("2026-03-18 17:30"), story.Matter.Deadlines.DueBy); // a fresh 10 working days from the verification
        Assert.True(story.Matter.Evaluations.Single().OrganizerResponsible);
        Assert.False(story.Matter.Supervised);
        story.Refuses(new ApplyForReturn(Unit, "不属于本单位"), T("2026-03-04 10:30"), RefusalCodes.WrongStatus); // no return in re-handling

        story.Replied(T("2026-03-05 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-03-05 11:00"));
        story.Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, "仍未解决"), T("2026-03-06 09:00"));
        story.Do(new VerifyEvaluation(Dispatcher, true, "仍属承办单位责任"), T("2026-03-06 10:00"));
        Assert.Equal(3, story.Matter.HandlingRound);
        Assert.Equal(SupervisionReason.UnsatisfiedTwice, story.Matter.Supervision.Single().Reason);
    }

    [Fact]
    public void An_unsatisfied_evaluation_the_organizer_is_not_responsible_for_closes_the_matter_Fujian_art_22()
    {
        var story = Signed("fujian").Replied(T("2026-03-03 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, "要求超出政策"), T("2026-03-04 09:00"))
            .Do(new VerifyEvaluation(Dispatcher, false, "诉求超出政策规定，已依法答复"), T("2026-03-04 10:00"));
        Assert.Equal(MatterStatus.Closed, story.Matter.Status);
        Assert.Equal(Closure.Evaluated, story.Matter.Closure);
        Assert.Equal(1, story.Matter.HandlingRound);
        Assert.False(story.Matter.Evaluations.Single().OrganizerResponsible);
        Assert.Equal(0, story.Matter.UnsatisfiedByOrganizerCount);
        Assert.Equal("evaluationVerified", story.Matter.Timeline[^2].Event);
    }

    [Fact]
    public void Extensions_are_counted_per_handling_round()
    {
        var story = Signed("citizen-hotline");
        story.Do(new ApplyForExtension(Unit, 1, "一"), T("2026-03-03 10:00")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 11:00"));
        story.Do(new ApplyForExtension(Unit, 1, "二"), T("2026-03-03 12:00")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 14:00"));
        story.Replied(T("2026-03-04 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-03-04 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, null), T("2026-03-05 09:00"))
            .Do(new VerifyEvaluation(Dispatcher, true, "核实属实"), T("2026-03-05 09:30"));
        story.Do(new ApplyForExtension(Unit, 1, "新一轮"), T("2026-03-05 10:00"));
        Assert.Equal(1, story.Matter.ExtensionsCounted);
    }

    [Fact]
    public void An_evaluation_window_that_lapses_closes_the_matter()
    {
        var story = Signed("fujian").Replied(T("2026-03-03 10:00")).Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"));
        story.Refuses(new EvaluateMatter(CallCentre, EvaluationResult.Satisfied, null), T("2026-03-10 17:31"), RefusalCodes.EvaluationWindowClosed);
        story.Fire(AlarmKind.EvaluationWindowEnd);
        Assert.Equal(MatterStatus.Closed, story.Matter.Status);
        Assert.Equal(Closure.EvaluationWindowLapsed, story.Matter.Closure);
    }

    [Fact]
    public void Organizers_cannot_evaluate_or_review_their_own_work()
    {
        var story = Signed("fujian").Replied(T("2026-03-03 10:00"));
        story.Refuses(new ReviewReply(Unit, true, null), T("2026-03-03 11:00"), RefusalCodes.ActorNotAllowed);
        story.Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"));
        story.Refuses(new EvaluateMatter(Unit, EvaluationResult.Satisfied, null), T("2026-03-03 12:00"), RefusalCodes.ActorNotAllowed);
    }

    // ---- Supervision by staff ----

    [Fact]
    public void Staff_put_a_matter_under_supervision_and_lift_it_with_a_reason_Fujian_art_24()
    {
        var story = Signed("fujian");
        story.Refuses(new LiftSupervision(Dispatcher, "已整改"), T("2026-03-03 10:00"), RefusalCodes.NotSupervised);
        story.Refuses(new PutUnderSupervision(Dispatcher, " "), T("2026-03-03 10:00"), RefusalCodes.InvalidInput);
        story.Do(new PutUnderSupervision(Dispatcher, "群众反映强烈"), T("2026-03-03 10:00"));
        Assert.True(story.Matter.Supervised);
        Assert.Equal(SupervisionReason.StaffDecision, story.Matter.Supervision.Single().Reason);
        story.Refuses(new LiftSupervision(Unit, "已整改"), T("2026-03-04 10:00"), RefusalCodes.ActorNotAllowed);
        story.Do(new LiftSupervision(Dispatcher, "已整改到位"), T("2026-03-04 10:00"));
        Assert.False(story.Matter.Supervised);
        Assert.Equal("已整改到位", story.Matter.Supervision.Single().LiftReason);
    }

    [Fact]
    public void Commands_on_a_missing_matter_are_refused()
    {
        new Story("fujian").Refuses(new SignMatter(Unit), T("2026-03-03 10:00"), RefusalCodes.MatterMissing);
    }
}
