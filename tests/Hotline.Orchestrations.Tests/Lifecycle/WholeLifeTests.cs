using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>Whole lives of matters, one row per profile: intake to close, with every deadline the profile gives.</summary>
public sealed class WholeLifeTests
{
    public sealed record LifeCase(
        string Profile,
        MatterType Type,
        string DispatchedAt,
        string SignBy,
        string ReturnBy,
        string? ContactBy,
        string DueBy,
        string ExtensionCutoff,
        bool EvidenceRequired)
    {
        public override string ToString() => $"{Profile}/{Type}";
    }

    public static TheoryData<LifeCase> Cases => new()
    {
        // Fujian 20(4): help within 3 working days, contact within 1; Fujian 18: photos with the reply; 001: sign within 2 hours.
        new LifeCase("fujian", MatterType.Help, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-03 17:30", "2026-03-03 17:30", "2026-03-05 17:30", "2026-03-05 13:30", true),
        // Fujian 20(1): consultations within 2 working days, no photo needed.
        new LifeCase("fujian", MatterType.Consultation, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-03 17:30", null, "2026-03-04 17:30", "2026-03-04 13:30", false),
        // Fujian 20(2): complaints within 10 working days.
        new LifeCase("fujian", MatterType.Complaint, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-03 17:30", null, "2026-03-16 17:30", "2026-03-16 13:30", true),
        // 001: contact within 3 working days, resolve within 5.
        new LifeCase("citizen-hotline", MatterType.Complaint, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-03 17:30", "2026-03-05 17:30", "2026-03-09 17:30", "2026-03-09 13:30", false),
        // Weifang 20(1): 5 working days.
        new LifeCase("weifang", MatterType.Report, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-03 17:30", null, "2026-03-09 17:30", "2026-03-09 13:30", false),
        // Guangzhou: the profile's own sessions (09:00-12:00, 14:00-18:00) move every close of business.
        new LifeCase("guangzhou", MatterType.Suggestion, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-03 18:00", null, "2026-03-09 18:00", "2026-03-09 14:00", false),
        // National Day 2026: Oct 1-7 off, Saturday Oct 10 is a working day; sign-off time carries over the holiday.
        new LifeCase("fujian", MatterType.Help, "2026-09-30 16:00", "2026-10-08 09:30", "2026-10-08 17:30", "2026-10-08 17:30", "2026-10-10 17:30", "2026-10-10 13:30", true),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_matter_lives_from_intake_to_a_satisfied_close_with_the_profiles_deadlines(LifeCase c)
    {
        var story = new Story(c.Profile);
        var dispatchedAt = T(c.DispatchedAt);
        story.Submitted(c.Type, dispatchedAt.AddMinutes(-30)).Dispatched(dispatchedAt, coOrganizers: ["street-office"]);

        var m = story.Matter;
        Assert.Equal(MatterStatus.AwaitingSignOff, m.Status);
        Assert.Equal(Lead, m.Organizer);
        Assert.Equal(["street-office"], m.Assignment!.CoOrganizers);
        Assert.Equal(T(c.SignBy), m.Deadlines.SignBy);
        Assert.Equal(T(c.ReturnBy), m.Deadlines.ReturnBy);
        Assert.Equal(c.ContactBy is null ? null : T(c.ContactBy), m.Deadlines.ContactBy);
        Assert.Equal(T(c.DueBy), m.Deadlines.DueBy);
        Assert.Equal(T(c.ExtensionCutoff), m.Deadlines.ExtensionCutoff);
        Assert.Equal(TimeSpan.FromHours(8), m.Deadlines.DueBy!.Value.Offset);

        story.Signed(dispatchedAt.AddMinutes(20));
        story.Do(new SubmitCoOrganizerPart(Actor.Organizer("street-office"), "街道已配合排查楼内管道"), dispatchedAt.AddMinutes(30));
        story.Do(new RecordContact(Unit, "电话联系市民，约定上门时间"), dispatchedAt.AddMinutes(40));
        if (c.EvidenceRequired)
        {
            story.Refuses(new SubmitReply(Unit, "已处理", []), dispatchedAt.AddHours(1), RefusalCodes.EvidenceRequired);
        }
        story.Replied(dispatchedAt.AddHours(1), withPhoto: c.EvidenceRequired);
        Assert.Equal(MatterStatus.ReplyUnderReview, story.Matter.Status);
        Assert.Empty(MatterAlarms.Of(story.Matter));

        story.Do(new ReviewReply(Dispatcher, Accept: true, "答复属实"), dispatchedAt.AddHours(2));
        Assert.Equal(MatterStatus.AwaitingEvaluation, story.Matter.Status);
        Assert.Equal([AlarmKind.EvaluationWindowEnd], MatterAlarms.Of(story.Matter).Select(a => a.Kind));

        story.Do(new EvaluateMatter(CallCentre, EvaluationResult.BasicallySatisfied, null), dispatchedAt.AddHours(3));
        var closed = story.Matter;
        Assert.Equal(MatterStatus.Closed, closed.Status);
        Assert.Equal(Closure.Evaluated, closed.Closure);
        Assert.False(closed.Supervised);
        Assert.Empty(MatterAlarms.Of(closed));
        Assert.Equal(story.History.Count, closed.Timeline.Count);
        Assert.Equal(
            ["matterSubmitted", "matterDispatched", "coOrganizersAssigned", "matterSigned", "coOrganizerPartSubmitted", "citizenContacted", "replySubmitted", "replyAccepted", "matterEvaluated", "matterClosed"],
            closed.Timeline.Select(t => t.Event));
    }

    [Fact]
    public void Replaying_the_history_gives_the_same_state()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"))
            .Do(new ApplyForExtension(Unit, 3, "需协调多部门"), T("2026-03-10 10:00"))
            .Do(new DecideExtension(Dispatcher, true, null), T("2026-03-10 11:00"))
            .Replied(T("2026-03-12 10:00"))
            .Do(new ReviewReply(Dispatcher, false, "照片不清楚"), T("2026-03-12 11:00"));

        var replayed = Matter.Replay(story.History);

        Assert.Equal(story.Matter.Version, replayed.Version);
        Assert.Equal(story.History.Count, replayed.Version);
        Assert.Equal(story.Matter.Deadlines, replayed.Deadlines);
        Assert.Equal(story.Matter.Status, replayed.Status);
        Assert.Equal(story.Matter.Extensions, replayed.Extensions);
        Assert.Equal(story.Matter.Timeline, replayed.Timeline);
    }
}
