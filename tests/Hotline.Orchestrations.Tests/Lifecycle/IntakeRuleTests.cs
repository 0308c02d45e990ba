using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

public sealed class IntakeRuleTests
{
    [Fact]
    public void An_urgent_matter_is_dispatched_in_the_same_decision_as_its_intake_Fujian_art_14()
    {
        var story = new Story("fujian");
        var at = T("2026-03-02 10:00");
        story.Do(new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Help, Urgency.Urgent, receivedAt: at), new Route(Lead, ["street-office"])), at);

        Assert.Equal(["matterSubmitted", "matterDispatched", "coOrganizersAssigned"], story.History.Select(Matter.EventName));
        Assert.Equal(Actor.System, story.History[1].Actor);
        Assert.Equal(MatterStatus.AwaitingSignOff, story.Matter.Status);
        Assert.Equal(T("2026-03-03 10:00"), story.Matter.Deadlines.DueBy); // same day, read as 24 hours (Fujian 20(5), fujian.json sameDay)
        Assert.Equal(story.Matter.Deadlines.DueBy, story.Matter.CoOrganizerParts.Single().PartBy); // the part is never due after the lead's deadline
    }

    [Fact]
    public void An_auto_dispatch_that_breaks_a_dispatch_rule_refuses_the_whole_intake()
    {
        var story = new Story("fujian");
        story.Refuses(new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Help), new Route(Lead, [Lead])), T("2026-03-02 10:00"), RefusalCodes.LeadIsCoOrganizer);
        Assert.Null(story.State);
    }

    [Fact]
    public void Possible_duplicates_are_recorded_on_intake_without_the_matter_itself()
    {
        var story = new Story("fujian");
        story.Do(new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Complaint), PossibleDuplicates: ["M-0", "M-1", "M-0"]), T("2026-03-02 10:00"));
        Assert.Equal(["M-0"], story.Matter.PossibleDuplicates);
    }

    [Fact]
    public void Possible_duplicates_found_after_intake_are_flagged_once_each_and_never_on_a_closed_matter()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00"));
        story.Refuses(new FlagPossibleDuplicates(Unit, ["M-0"]), T("2026-03-02 09:01"), RefusalCodes.ActorNotAllowed);
        story.Do(new FlagPossibleDuplicates(Actor.System, ["M-0", "M-1", "M-0", " "]), T("2026-03-02 09:01"));
        Assert.Equal(["M-0"], Assert.IsType<PossibleDuplicatesFlagged>(story.History[^1]).Matters);
        // The search repeated (a crash before its effect was removed) finds the same: nothing new to record.
        story.Refuses(new FlagPossibleDuplicates(Actor.System, ["M-0", "M-1"]), T("2026-03-02 09:02"), RefusalCodes.DuplicatesKnown);
        story.Do(new FlagPossibleDuplicates(Actor.System, ["M-0", "M-7"]), T("2026-03-02 09:02"));
        Assert.Equal(["M-0", "M-7"], story.Matter.PossibleDuplicates);

        story.Do(new MergeInto(Dispatcher, "M-0", null), T("2026-03-02 09:03"));
        story.Refuses(new FlagPossibleDuplicates(Actor.System, ["M-9"]), T("2026-03-02 09:04"), RefusalCodes.WrongStatus);
    }

    [Fact]
    public void A_merged_matter_closes_keeping_its_history_and_the_survivor_records_it_once()
    {
        var duplicate = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        duplicate.Refuses(new MergeInto(Dispatcher, "M-1", null), T("2026-03-02 10:30"), RefusalCodes.InvalidInput); // itself
        duplicate.Refuses(new MergeInto(Unit, "M-0", null), T("2026-03-02 10:30"), RefusalCodes.ActorNotAllowed);
        duplicate.Do(new MergeInto(Dispatcher, "M-0", "同一地点同一问题"), T("2026-03-02 10:30"));
        Assert.Equal(MatterStatus.Merged, duplicate.Matter.Status);
        Assert.Equal("M-0", duplicate.Matter.MergedInto);
        Assert.Empty(MatterAlarms.Of(duplicate.Matter));
        Assert.Equal(["matterSubmitted", "matterDispatched", "matterMerged"], duplicate.Matter.Timeline.Select(t => t.Event));
        duplicate.Refuses(new SignMatter(Unit), T("2026-03-02 10:40"), RefusalCodes.WrongStatus);

        var survivor = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 08:00"));
        survivor.Do(new AbsorbDuplicate(Actor.System, "M-1"), T("2026-03-02 10:31"));
        survivor.Refuses(new AbsorbDuplicate(Actor.System, "M-1"), T("2026-03-02 10:32"), RefusalCodes.DuplicateKnown);
        Assert.Equal(["M-1"], survivor.Matter.AbsorbedDuplicates);
    }
}
