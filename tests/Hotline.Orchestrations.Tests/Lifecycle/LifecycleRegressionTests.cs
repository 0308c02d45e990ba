using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>Sequences that once broke a matter: the 500s found through the API, and what the model-based test shrank to.</summary>
public sealed class LifecycleRegressionTests
{
    private static Story Signed(string profile, MatterType type = MatterType.Complaint) =>
        new Story(profile).Submitted(type, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"));

    [Fact]
    public void An_extension_pending_when_the_return_is_approved_lapses_and_cannot_be_decided_later()
    {
        // Found through the API (a 500): deciding the extension read the handling deadline the approved return had cleared.
        var story = Signed("fujian")
            .Do(new ApplyForExtension(Unit, 3, "需协调"), T("2026-03-03 10:00"))
            .Do(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-03-03 10:30"))
            .Do(new DecideReturn(Dispatcher, true, null), T("2026-03-03 11:00"));

        story.Refuses(new DecideExtension(Dispatcher, true, null), T("2026-03-03 11:30"), RefusalCodes.NoPendingExtension);
        var lapsed = Assert.Single(story.Matter.Extensions);
        Assert.True(lapsed.Lapsed);
        Assert.Equal((false, T("2026-03-03 11:00")), (lapsed.Approved, lapsed.DecidedAt));
        Assert.Equal(Lead, lapsed.Organizer);
    }

    [Fact]
    public void Applications_of_the_previous_unit_neither_block_nor_count_against_the_next()
    {
        var story = Signed("citizen-hotline")
            .Do(new ApplyForExtension(Unit, 1, "一"), T("2026-03-03 09:10")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 09:20"))
            .Do(new ApplyForExtension(Unit, 1, "二"), T("2026-03-03 09:30"))
            .Do(new ApplyForTermination(Unit, "诉求人拒不配合"), T("2026-03-03 09:40"))
            .Do(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-03-03 10:00"))
            .Do(new DecideReturn(Dispatcher, true, null, ReassignTo: Other), T("2026-03-03 11:00"))
            .Do(new SignMatter(Actor.Organizer(Other)), T("2026-03-03 11:10"));
        var next = Actor.Organizer(Other);
        Assert.Equal(Other, story.Matter.Organizer);
        Assert.Null(story.Matter.PendingExtension);
        Assert.Null(story.Matter.PendingTermination);
        Assert.Equal(0, story.Matter.ExtensionsCounted);

        story.Do(new ApplyForTermination(next, "属法定途径"), T("2026-03-03 11:20"));
        story.Do(new ApplyForExtension(next, 2, "需协调"), T("2026-03-03 11:30")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 11:40"));
        story.Do(new ApplyForExtension(next, 3, "再协调"), T("2026-03-03 14:00"));
        Assert.Equal(2, story.Matter.ExtensionsCounted);
    }

    [Fact]
    public void A_later_handling_round_owes_no_first_contact_and_schedules_no_past_alarm()
    {
        // Shrunk by the model: a help matter replied to without a contact, evaluated unsatisfied days after its contact
        // deadline; the new round scheduled ContactDue in the past.
        var story = new Story("citizen-hotline").Submitted(MatterType.Consultation, T("2026-08-04 09:00")).Dispatched(T("2026-08-04 09:00"))
            .Signed(T("2026-08-04 09:00")).Replied(T("2026-08-04 09:00"));
        story.Do(new ReviewReply(Dispatcher, true, null), T("2026-08-11 16:00"));
        story.Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, null), T("2026-08-12 00:19"));
        story.Do(new VerifyEvaluation(Dispatcher, true, "核实属实"), T("2026-08-12 00:19"));
        Assert.Equal(2, story.Matter.HandlingRound);
        Assert.All(MatterAlarms.Of(story.Matter), a => Assert.True(a.At >= T("2026-08-12 00:19"), $"{a} is in the past"));
        Assert.DoesNotContain(MatterAlarms.Of(story.Matter), a => a.Kind == AlarmKind.ContactDue);
    }

    [Fact]
    public void A_return_refused_before_the_sign_off_gives_a_fresh_sign_off_window()
    {
        // Shrunk by the model: the return waited two days for a decision; refused, the sign-off alarms came back in the past.
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-04-07 09:00")).Dispatched(T("2026-04-07 09:00"))
            .Do(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-04-07 09:00"))
            .Do(new DecideReturn(Dispatcher, false, "属于本单位职责"), T("2026-04-09 16:00"));
        Assert.Equal(MatterStatus.AwaitingSignOff, story.Matter.Status);
        Assert.Equal(T("2026-04-10 09:30"), story.Matter.Deadlines.SignBy);            // 2 working hours from the decision
        Assert.Equal(T("2026-04-09 17:30"), story.Matter.Deadlines.SignOffReminderAt);
        Assert.All(MatterAlarms.Of(story.Matter).Where(a => a.Kind is AlarmKind.SignOffReminder or AlarmKind.SignOffOverdue),
            a => Assert.True(a.At >= T("2026-04-09 16:00"), $"{a} is in the past"));
    }

    [Fact]
    public void An_extension_the_platform_approves_after_the_deadline_counts_from_the_decision()
    {
        var story = Signed("weifang") // due 2026-03-09 17:30
            .Do(new ApplyForExtension(Unit, 2, "需协调"), T("2026-03-09 13:30"));
        story.Fire(AlarmKind.HandlingDue);
        story.Do(new DecideExtension(Dispatcher, true, null), T("2026-03-11 10:00"));
        Assert.Equal(T("2026-03-13 17:30"), story.Matter.Deadlines.DueBy);
        Assert.Equal(T("2026-03-13 13:30"), story.Matter.Deadlines.ExtensionCutoff);
    }

    [Theory]
    [InlineData(366)]
    [InlineData(3000)]
    [InlineData(int.MaxValue)]
    public void An_absurd_statutory_limit_is_refused_as_input_not_thrown(int days)
    {
        var story = new Story("weifang").Submitted(MatterType.Complaint, T("2026-03-02 09:00"));
        var refusal = story.Refuses(new DispatchMatter(Dispatcher, Lead, [], StatutoryLimitWorkingDays: days), T("2026-03-02 10:00"), RefusalCodes.InvalidInput);
        Assert.StartsWith("statutoryLimitWorkingDays", refusal.Message);
        story.Dispatched(T("2026-03-02 10:00"), statutoryLimit: 365);
        Assert.Equal(365, story.Matter.LimitWorkingDays);
    }
}
