using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Tests.Lifecycle;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Tests.Assessment.AssessmentRuleTests;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Assessment;

/// <summary>Co-organizers assessed on their part (Fujian 16, 30(4); Weifang 22); "explained, not solvable now" counted on its own (Fujian 20(7); Weifang 20(3)).</summary>
public sealed class CoOrganizerAssessmentTests
{
    private static readonly DateTimeOffset From = T("2026-03-01 00:00");
    private static readonly DateTimeOffset To = T("2026-04-01 00:00");
    private static readonly DateTimeOffset AsOf = T("2026-04-10 09:00");
    private static readonly DateTimeOffset PartBy = T("2026-03-04 17:30");

    private static OrganizerAssessmentResult Compute(params AssignmentFacts[] a) =>
        OrganizerAssessment.Compute(a, From, To, AsOf, WorkingCalendar.Default, new AssessmentOptions(MinimumForRates: 1));

    private static AssignmentFacts WithParts(string matterId, params PartFacts[] parts) => Received("water", matterId) with { Parts = parts };

    [Fact]
    public void Co_organizers_are_assessed_on_time_late_and_missing_and_a_missing_part_is_passive_coping_Fujian_art_30_4()
    {
        var result = Compute(
            WithParts("M-1", new PartFacts("street", PartBy, T("2026-03-03 10:00")), new PartFacts("urban", PartBy)),
            WithParts("M-2", new PartFacts("street", PartBy, T("2026-03-06 10:00"))),
            WithParts("M-3", new PartFacts("street", PartBy)),
            // The lead's reply was accepted before the part was due: it was no longer owed.
            WithParts("M-4", new PartFacts("urban", PartBy)) with { RepliedAt = T("2026-03-03 09:00"), CompletedAt = T("2026-03-03 10:00") },
            // The matter left the lead by an approved return before the part was due.
            WithParts("M-5", new PartFacts("urban", PartBy)) with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-03-02 11:00"), Return = ReturnOutcome.Approved });

        var units = result.Organizers.ToDictionary(o => o.Organizer);
        Assert.Equal(new CoOrganizerFigures(Parts: 3, OnTime: 1, Late: 1, Missing: 1), units["street"].CoOrganizing);
        Assert.Equal(new CoOrganizerFigures(Parts: 3, OnTime: 0, Late: 0, Missing: 1), units["urban"].CoOrganizing);
        Assert.Equal(CoOrganizerFigures.None, units["water"].CoOrganizing);
        Assert.Equal(new CoOrganizerFigures(6, 1, 1, 2), result.All.CoOrganizing);
        // A unit that only co-organized has a row with its parts and no lead figures, neither scored nor ranked.
        Assert.Equal((0, null, null), (units["street"].Received, units["street"].Rates.OnTime.Value, units["street"].Rank));
    }

    [Fact]
    public void A_part_is_not_missing_before_its_deadline_passes()
    {
        var early = OrganizerAssessment.Compute([WithParts("M-1", new PartFacts("street", PartBy))], From, To, T("2026-03-04 17:00"),
            WorkingCalendar.Default, new AssessmentOptions(MinimumForRates: 1));
        Assert.Equal(new CoOrganizerFigures(1, 0, 0, 0), early.Organizers.Single(o => o.Organizer == "street").CoOrganizing);
    }

    [Fact]
    public void Explained_not_solvable_is_counted_on_its_own_and_not_as_solved_Fujian_art_20_7_Weifang_art_20_3()
    {
        var done = Received("water", "M-1") with { RepliedAt = T("2026-03-03 10:00"), CompletedAt = T("2026-03-03 11:00") };
        var w = Compute(
            done,
            done with { MatterId = "M-2", ReplyKind = ReplyKind.ExplainedNotSolvable },
            done with { MatterId = "M-3", ReplyKind = ReplyKind.ExplainedNotSolvable },
            Received("water", "M-4") with { ReplyKind = ReplyKind.ExplainedNotSolvable, UnderReviewSince = T("2026-03-03 10:00") }).Organizers.Single();

        Assert.Equal((3, 1, 2), (w.Completed, w.Solved, w.ExplainedNotSolvable)); // a reply still under review is neither
    }

    [Fact]
    public void The_facts_carry_each_part_and_the_kind_of_the_accepted_reply_from_the_events_Fujian_art_16()
    {
        var street = Actor.Organizer("street-office");
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00"))
            .Dispatched(T("2026-03-02 10:00"), coOrganizers: ["street-office", "urban-management"]).Signed(T("2026-03-02 10:30"))
            .Do(new SubmitCoOrganizerPart(street, "街道已配合"), T("2026-03-03 10:00"))
            .Do(new RecordContact(Unit, "已联系市民并解释"), T("2026-03-03 11:00"))
            .Do(new SubmitReply(Unit, "暂无法解决，已解释", [new EvidenceRef("m-1/p.jpg", "image/jpeg", 1)], ReplyKind.ExplainedNotSolvable), T("2026-03-04 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-04 11:00"));

        var a = Assert.Single(MatterFacts.From(story.History).Assignments);
        Assert.Equal(
            [new PartFacts("street-office", T("2026-03-04 17:30"), T("2026-03-03 10:00")), new PartFacts("urban-management", T("2026-03-04 17:30"))],
            a.Parts);
        Assert.Equal(ReplyKind.ExplainedNotSolvable, a.ReplyKind);
        Assert.True(CoOrganizerAssessment.ExplainedNotSolvable(a));
        Assert.False(CoOrganizerAssessment.Solved(a));
        // The lead's reply was accepted before urban management's part was due: it is not counted missing.
        Assert.False(CoOrganizerAssessment.Missing(a, a.Parts[1], AsOf));
    }
}
