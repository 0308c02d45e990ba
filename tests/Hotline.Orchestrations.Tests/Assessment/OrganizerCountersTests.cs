using System.Text.Json;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Assessment.AssessmentRules;
using static Hotline.Orchestrations.Tests.Assessment.AssessmentRuleTests;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Assessment;

/// <summary>The counters the reports are read from: they add up, take away, and give the rules' figures at any instant.</summary>
public sealed class OrganizerCountersTests
{
    private static readonly AssignmentFacts[] Final =
    [
        Received("water", "M-0") with { SignedAt = T("2026-03-02 10:30"), ContactedAt = T("2026-03-03 10:00"), RepliedAt = T("2026-03-05 10:00"), CompletedAt = T("2026-03-05 11:00"), Evaluation = EvaluationResult.Satisfied },
        Received("water", "M-1"), // never signed: due to sign, to contact and to complete only as each deadline passes
        Received("water", "M-2") with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-03-02 10:30"), Return = ReturnOutcome.Approved },
        Received("water", "M-3") with { SignedAt = T("2026-03-02 13:00"), UnderReviewSince = T("2026-03-04 09:00"), ReplyKind = ReplyKind.ExplainedNotSolvable },
        Received("water", "M-4") with { SignedAt = T("2026-03-02 10:10"), Parts = [new PartFacts("power", T("2026-03-04 10:00")), new PartFacts("gas", T("2026-03-04 10:00"), T("2026-03-05 10:00"))] },
        Received("housing", "M-5") with { SignedAt = T("2026-03-02 11:00"), TerminatedAt = T("2026-03-03 10:00"), Parts = [new PartFacts("power", T("2026-03-04 10:00"))] },
    ];

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static OrganizerCounters Sum(IEnumerable<AssignmentFacts> assignments)
    {
        var sum = new OrganizerCounters();
        foreach (var a in assignments) sum.Add(OrganizerCounters.Of(a), 1);
        return sum.Canonical();
    }

    [Fact]
    public void Replacing_each_assignments_earlier_contribution_by_its_latest_gives_the_counters_of_the_latest()
    {
        var sum = Sum(Final.Reverse().Select(a => Received(a.Organizer, a.MatterId)));
        foreach (var a in Final) sum.Add(OrganizerCounters.Of(Received(a.Organizer, a.MatterId)), -1).Add(OrganizerCounters.Of(a), 1);

        Assert.Equal(Json(Sum(Final)), Json(sum.Canonical()));
        Assert.Equal(Json(new OrganizerCounters()), Json(sum.Add(Sum(Final), -1).Canonical()));
    }

    [Fact]
    public void The_counters_give_the_rules_figures_at_every_instant_before_and_after_each_deadline()
    {
        var calendar = WorkingCalendar.Default;
        var water = Final.Where(a => a.Organizer == "water").ToArray();
        var counters = Sum(water);
        for (var asOf = T("2026-03-02 10:00"); asOf <= T("2026-03-20 10:00"); asOf = asOf.AddHours(3))
        {
            var f = counters.Figures("water", asOf, calendar, minimum: 1);
            Assert.Equal(water.Count(a => DueToSign(a, asOf)), f.Rates.Response.Of);
            Assert.Equal(water.Count(a => DueToContact(a, asOf)), f.ContactDue);
            Assert.Equal(water.Count(a => DueToComplete(a, asOf)), f.Rates.OnTime.Of);
            var parts = Sum(Final).CoOrganizers["power"].Figures(asOf);
            Assert.Equal(Final.Sum(a => a.Parts.Count(p => p.Organizer == "power" && CoOrganizerAssessment.Missing(a, p, asOf))), parts.Missing);
        }
        // The instants chosen do cross the deadlines: the unsigned assignment is not due at first, and is at the end.
        Assert.Equal((3, 4), (counters.Figures("water", T("2026-03-02 10:00"), calendar, 1).Rates.Response.Of, counters.Figures("water", T("2026-03-20 10:00"), calendar, 1).Rates.Response.Of));
    }
}
