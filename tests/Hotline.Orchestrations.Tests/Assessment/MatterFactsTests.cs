using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Tests.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Assessment;

/// <summary>The facts of a matter, folded from histories the real lifecycle produced (Fujian profile).</summary>
public sealed class MatterFactsTests
{
    private static readonly Actor OtherUnit = Actor.Organizer(Other);

    private static Story HelpSignedAt(string signedAt) =>
        new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T(signedAt));

    [Fact]
    public void A_whole_life_gives_one_assignment_with_every_instant_and_deadline_from_the_events()
    {
        var story = HelpSignedAt("2026-03-02 10:30")
            .Do(new RecordContact(Unit, "电话联系"), T("2026-03-03 10:00"))
            .Replied(T("2026-03-04 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-04 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Satisfied, null), T("2026-03-05 09:00"));

        var facts = MatterFacts.From(story.History);

        Assert.Equal(("M-1", story.History.Count, T("2026-03-02 09:00"), "water-pressure", "east"),
            (facts.MatterId, facts.Version, facts.ReceivedAt, facts.Category, facts.District));
        Assert.Equal("幸福路12号", facts.AddressKey);
        Assert.False(facts.Rejected || facts.Supervised);
        var a = Assert.Single(facts.Assignments);
        Assert.Equal((1, Lead, T("2026-03-02 10:00")), (a.Number, a.Organizer, a.ReceivedAt));
        Assert.Equal((T("2026-03-02 12:00"), (DateTimeOffset?)T("2026-03-02 10:30")), (a.SignBy, a.SignedAt));
        Assert.Equal((T("2026-03-03 17:30"), T("2026-03-03 10:00")), (a.ContactBy, a.ContactedAt));
        Assert.Equal(T("2026-03-05 17:30"), a.DueBy);
        Assert.Equal((T("2026-03-04 10:00"), T("2026-03-04 11:00")), (a.RepliedAt, a.CompletedAt));
        Assert.Equal(EvaluationResult.Satisfied, a.Evaluation);
        Assert.Equal((0, ReturnOutcome.None, 0, 0), (a.ReturnsApplied, a.Return, a.ExtensionsGranted, a.HandledAgain));
    }

    [Fact]
    public void A_returned_matter_is_an_assignment_of_the_unit_that_returned_it_and_another_of_the_next_unit_Fujian_art_19()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"))
            .Signed(T("2026-03-02 10:10"))
            .Do(new RecordContact(Unit, "电话联系"), T("2026-03-02 10:20"))
            .Do(new ApplyForReturn(Unit, "不属本单位职责"), T("2026-03-02 10:30"))
            .Do(new DecideReturn(Dispatcher, true, "同意", ReassignTo: Other), T("2026-03-02 14:00"))
            .Do(new SignMatter(OtherUnit), T("2026-03-02 14:30"));

        var facts = MatterFacts.From(story.History);

        Assert.Equal(2, facts.Assignments.Count);
        var (first, second) = (facts.Assignments[0], facts.Assignments[1]);
        Assert.Equal((Lead, ReturnOutcome.Approved, 1, (DateTimeOffset?)T("2026-03-02 10:30")), (first.Organizer, first.Return, first.ReturnsApplied, first.ReturnAppliedAt));
        Assert.Equal(T("2026-03-02 10:10"), first.SignedAt);
        Assert.Equal((2, Other, T("2026-03-02 14:00"), T("2026-03-02 16:00")), (second.Number, second.Organizer, second.ReceivedAt, second.SignBy));
        Assert.Equal(T("2026-03-02 14:30"), second.SignedAt);
        Assert.Null(story.Matter.ContactedAt); // the new unit has not contacted the citizen yet; the first unit's contact stays in its own facts
        Assert.Null(second.ContactedAt);
        Assert.Equal(T("2026-03-03 17:30"), second.ContactBy);
    }

    [Fact]
    public void The_due_date_includes_a_granted_extension_so_a_reply_after_the_original_limit_is_on_time_Fujian_art_20_6()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"))
            .Do(new ApplyForExtension(Unit, 3, "需协调多部门"), T("2026-03-10 10:00"))
            .Do(new DecideExtension(Dispatcher, false, "理由不足"), T("2026-03-10 11:00"))
            .Do(new ApplyForExtension(Unit, 3, "需协调多部门"), T("2026-03-11 10:00"))
            .Do(new DecideExtension(Dispatcher, true, null), T("2026-03-11 11:00"))
            .Replied(T("2026-03-18 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-18 11:00"));

        var a = Assert.Single(MatterFacts.From(story.History).Assignments);

        Assert.Equal(1, a.ExtensionsGranted);
        Assert.Equal(T("2026-03-19 17:30"), a.DueBy); // 2026-03-16 17:30 and three more working days
        Assert.True(AssessmentRules.CompletedOnTime(a));
    }

    [Fact]
    public void A_reply_sent_back_does_not_count_the_completion_is_the_accepted_replys_submission_Fujian_art_18()
    {
        var story = HelpSignedAt("2026-03-02 10:30")
            .Do(new RecordContact(Unit, "电话联系"), T("2026-03-02 11:00"))
            .Replied(T("2026-03-05 10:00"))
            .Do(new ReviewReply(Dispatcher, false, "照片不清"), T("2026-03-05 11:00"))
            .Replied(T("2026-03-06 09:30"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-06 10:00"));

        var a = Assert.Single(MatterFacts.From(story.History).Assignments);

        Assert.Equal((T("2026-03-06 09:30"), T("2026-03-06 10:00")), (a.RepliedAt, a.CompletedAt));
        Assert.False(AssessmentRules.CompletedOnTime(a)); // due 2026-03-05 17:30; the first, on-time reply was sent back
    }

    [Fact]
    public void Handling_again_keeps_the_first_limit_counts_the_round_and_the_latest_evaluation_stands_Fujian_art_22()
    {
        var story = HelpSignedAt("2026-03-02 10:30")
            .Replied(T("2026-03-03 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, "没修好"), T("2026-03-04 09:00"))
            .Do(new VerifyEvaluation(Dispatcher, OrganizerResponsible: true, "核实属承办单位责任"), T("2026-03-04 10:00"))
            .Replied(T("2026-03-06 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-06 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.BasicallySatisfied, null), T("2026-03-09 09:00"));

        var facts = MatterFacts.From(story.History);
        var a = Assert.Single(facts.Assignments);

        Assert.Equal((1, 1), (facts.HandledAgain, a.HandledAgain));
        Assert.Equal(EvaluationResult.BasicallySatisfied, a.Evaluation);
        Assert.Equal((T("2026-03-03 10:00"), T("2026-03-05 17:30")), (a.RepliedAt, a.DueBy));
    }

    [Fact]
    public void An_unsolved_return_visit_counts_as_handling_again_Weifang_art_25()
    {
        var story = HelpSignedAt("2026-03-02 10:30")
            .Replied(T("2026-03-03 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-03 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Satisfied, null), T("2026-03-04 09:00"))
            .Do(new RecordReturnVisit(Dispatcher, Solved: false, "问题仍在"), T("2026-03-05 10:00"));

        Assert.Equal(1, Assert.Single(MatterFacts.From(story.History).Assignments).HandledAgain);
    }

    [Fact]
    public void Supervision_is_counted_for_the_unit_that_had_the_matter_when_it_started_Fujian_art_24()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"))
            .Fire(AlarmKind.SignOffOverdue)
            .Do(new ApplyForReturn(Unit, "不属本单位职责"), T("2026-03-02 14:00"))
            .Do(new DecideReturn(Dispatcher, true, null, ReassignTo: Other), T("2026-03-02 15:00"));

        var facts = MatterFacts.From(story.History);

        Assert.True(facts.Supervised);
        Assert.Equal([true, false], facts.Assignments.Select(a => a.Supervised));
    }

    [Fact]
    public void A_refused_return_leaves_the_matter_with_the_unit_under_supervision_Weifang_art_26_1()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"))
            .Do(new ApplyForReturn(Unit, "不属本单位职责"), T("2026-03-02 10:30"))
            .Do(new DecideReturn(Dispatcher, false, "属于本单位职责"), T("2026-03-02 11:00"));

        var a = Assert.Single(MatterFacts.From(story.History).Assignments);

        Assert.Equal((ReturnOutcome.Refused, true), (a.Return, a.Supervised));
    }

    [Fact]
    public void Terminations_and_merges_are_recorded_with_their_instants()
    {
        var terminated = HelpSignedAt("2026-03-02 10:30")
            .Do(new ApplyForTermination(Unit, "诉求人拒不配合"), T("2026-03-03 10:00"))
            .Do(new DecideTermination(Dispatcher, true, null), T("2026-03-03 11:00"));
        var merged = HelpSignedAt("2026-03-02 10:30").Do(new MergeInto(Dispatcher, "M-0", "重复"), T("2026-03-02 11:00"));

        Assert.Equal(T("2026-03-03 11:00"), Assert.Single(MatterFacts.From(terminated.History).Assignments).TerminatedAt);
        Assert.Equal(T("2026-03-02 11:00"), Assert.Single(MatterFacts.From(merged.History).Assignments).MergedAt);
    }

    [Fact]
    public void A_rejected_matter_has_no_assignment_and_is_no_reflection_Fujian_art_13()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00"))
            .Do(new RejectMatter(Dispatcher, "outside-area", null), T("2026-03-02 09:30"));

        var facts = MatterFacts.From(story.History);

        Assert.True(facts.Rejected);
        Assert.Empty(facts.Assignments);
        Assert.False(AssessmentRules.CountsAsReflection(facts));
    }

    [Fact]
    public void A_history_must_start_with_the_submission()
    {
        var story = HelpSignedAt("2026-03-02 10:30");

        Assert.Throws<InvalidOperationException>(() => MatterFacts.From(story.History.Skip(1)));
        Assert.Throws<InvalidOperationException>(() => MatterFacts.From([]));
    }
}
