using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Tests.Assessment.AssessmentRuleTests;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Assessment;

public sealed class OrganizerAssessmentTests
{
    private static readonly DateTimeOffset From = T("2026-03-01 00:00");
    private static readonly DateTimeOffset To = T("2026-04-01 00:00");
    private static readonly DateTimeOffset AsOf = T("2026-04-10 09:00");

    private static OrganizerAssessmentResult Compute(IEnumerable<AssignmentFacts> a, AssessmentOptions? options = null) =>
        OrganizerAssessment.Compute(a, From, To, AsOf, WorkingCalendar.Default, options ?? new AssessmentOptions());

    private static AssignmentFacts Signed(string organizer, int i, int minutes) =>
        Received(organizer, $"M-{organizer}-{i}") with { SignedAt = T("2026-03-02 10:00").AddMinutes(minutes) };

    [Fact]
    public void A_rate_below_the_minimum_is_too_few_to_rate_and_says_of_how_many()
    {
        var four = Enumerable.Range(0, 4).Select(i => Signed("water", i, 30)).ToArray();
        var five = four.Append(Signed("water", 4, 150)).ToArray();

        Assert.Equal(new Rate(null, 4), Compute(four).Organizers.Single().Rates.Response);
        Assert.Equal(new Rate(0.8, 5), Compute(five).Organizers.Single().Rates.Response);
        Assert.Equal(new Rate(null, 0), Compute(five).Organizers.Single().Rates.Satisfaction);
        Assert.Equal(new Rate(0.5, 4), Rate.From(2, 4, minimum: 1));
        Assert.Equal(new Rate(0.6667, 3), Rate.From(2, 3, minimum: 1));
    }

    [Fact]
    public void Every_count_and_rate_of_one_unit_follows_the_rules()
    {
        AssignmentFacts[] a =
        [
            Signed("water", 0, 30) with { ContactedAt = T("2026-03-03 10:00"), RepliedAt = T("2026-03-05 10:00"), CompletedAt = T("2026-03-05 11:00"), Evaluation = EvaluationResult.Satisfied },
            Signed("water", 1, 60) with { ContactedAt = T("2026-03-04 10:00"), RepliedAt = T("2026-03-06 10:00"), CompletedAt = T("2026-03-06 11:00"), Evaluation = EvaluationResult.Unsatisfied, HandledAgain = 1, Supervised = true },
            Signed("water", 2, 200) with { ExtensionsGranted = 1, DueBy = T("2026-03-10 17:30"), RepliedAt = T("2026-03-09 10:00"), CompletedAt = T("2026-03-09 11:00"), Evaluation = EvaluationResult.BasicallySatisfied },
            Signed("water", 3, 45) with { TerminatedAt = T("2026-03-04 10:00") },
            Received("water", "M-water-4") with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-03-02 10:30"), Return = ReturnOutcome.Approved },
            Received("water", "M-water-5") with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-03-02 10:30"), Return = ReturnOutcome.Refused, SignedAt = T("2026-03-02 13:00"), Supervised = true },
        ];

        var w = Compute(a, new AssessmentOptions(MinimumForRates: 1)).Organizers.Single();

        Assert.Equal((6, 3, 2, 1), (w.Received, w.SignedOnTime, w.Returned, w.ReturnsApproved));
        Assert.Equal(new Rate(0.6, 5), w.Rates.Response); // the approved return owed no signature
        Assert.Equal(new Rate(0.5, 2), w.Rates.ReturnApproval);
        Assert.Equal((5, 1), (w.ContactDue, w.ContactedOnTime)); // the approved return was relieved before its contact deadline
        Assert.Equal(new Rate(0.2, 5), w.Rates.Contact);
        Assert.Equal((3, 2), (w.Completed, w.CompletedOnTime));
        Assert.Equal(new Rate(0.5, 4), w.Rates.OnTime); // the refused return is overdue; the terminated one ended in time
        Assert.Equal((1, 1, 3, 2), (w.Extended, w.Terminated, w.Evaluated, w.Satisfied));
        Assert.Equal(new Rate(0.6667, 3), w.Rates.Satisfaction);
        Assert.Equal((1, 2), (w.HandledAgain, w.Supervised));
        Assert.Equal(new Rate(0.3333, 3), w.Rates.Rehandling);
        Assert.Null(w.Score);
        Assert.Null(w.Rank);
    }

    [Fact]
    public void Assignments_count_in_the_period_they_were_received_by_the_unit_and_for_that_unit()
    {
        AssignmentFacts[] a =
        [
            Received("water", "M-1", "2026-02-27 10:00") with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-02-27 10:10"), Return = ReturnOutcome.Approved },
            Received("housing", "M-1", "2026-03-02 10:00") with { Number = 2 },
            Received("housing", "M-2", "2026-03-31 17:00"),
            Received("housing", "M-3", "2026-04-01 09:00"),
        ];

        var result = Compute(a);

        Assert.Equal(["housing"], result.Organizers.Select(o => o.Organizer));
        Assert.Equal(2, result.Organizers[0].Received);
        Assert.Equal(2, result.All.Received);
    }

    [Fact]
    public void Hours_are_working_hours_with_the_median_and_the_nearest_rank_p90()
    {
        // Signed 1 to 10 working hours after receipt, all within the Monday and Tuesday of 2026-03-02.
        var a = Enumerable.Range(1, 10).Select(h => Received("water", $"M-{h}", "2026-03-02 09:00") with
        {
            SignedAt = WorkingCalendar.Default.AddWorkingTime(T("2026-03-02 09:00"), TimeSpan.FromHours(h)),
        }).ToArray();

        var w = Compute(a).Organizers.Single();

        Assert.Equal(new HourFigures(5.5, 9), w.HoursToSign);
        Assert.Equal(new HourFigures(null, null), w.HoursToComplete);
        Assert.Equal(new HourFigures(null, null), Compute(a.Take(4)).Organizers.Single().HoursToSign);
    }

    [Fact]
    public void Without_weights_there_is_no_score_and_no_rank_and_units_are_listed_by_id()
    {
        var a = new[] { "b-unit", "a-unit" }.SelectMany(o => Enumerable.Range(0, 5).Select(i => Signed(o, i, 30))).ToArray();

        var result = Compute(a);

        Assert.False(result.Weighted);
        Assert.Equal(["a-unit", "b-unit"], result.Organizers.Select(o => o.Organizer));
        Assert.All(result.Organizers, o => Assert.True(o.Score is null && o.Rank is null));
        Assert.Null(result.All.Score);
    }

    [Fact]
    public void With_weights_the_score_weighs_the_rates_counts_less_rehandling_as_better_and_ties_share_a_rank()
    {
        AssignmentFacts Done(string o, int i, bool late, bool again) => Signed(o, i, late ? 150 : 30) with
        {
            RepliedAt = T("2026-03-04 10:00"), CompletedAt = T("2026-03-04 11:00"), HandledAgain = again ? 1 : 0,
        };
        var a = new List<AssignmentFacts>();
        a.AddRange(Enumerable.Range(0, 5).Select(i => Done("a", i, late: i == 0, again: false)));  // response 0.8, rehandling 0
        a.AddRange(Enumerable.Range(0, 5).Select(i => Done("b", i, late: false, again: i < 2)));   // response 1.0, rehandling 0.4
        a.AddRange(Enumerable.Range(0, 5).Select(i => Done("c", i, late: i == 0, again: false)));  // as a
        a.AddRange(Enumerable.Range(0, 2).Select(i => Done("d", i, late: false, again: false)));   // too few to rate
        var weights = new Dictionary<string, double> { ["response"] = 3, ["Rehandling"] = 1 };

        var result = Compute(a, new AssessmentOptions(5, weights));

        Assert.True(result.Weighted);
        var byUnit = result.Organizers.ToDictionary(o => o.Organizer);
        Assert.Equal(85.0, byUnit["a"].Score); // (3 × 0.8 + 1 × (1 − 0)) / 4
        Assert.Equal(90.0, byUnit["b"].Score); // (3 × 1.0 + 1 × (1 − 0.4)) / 4
        Assert.Equal((1, 2, 2), (byUnit["b"].Rank!.Value, byUnit["a"].Rank!.Value, byUnit["c"].Rank!.Value));
        Assert.True(byUnit["d"].Score is null && byUnit["d"].Rank is null);
        Assert.Equal(["b", "a", "c", "d"], result.Organizers.Select(o => o.Organizer));
        Assert.Null(result.All.Rank);
    }

    [Fact]
    public void A_weight_must_name_a_rate_and_not_be_negative()
    {
        Assert.Throws<ArgumentException>(() => new AssessmentOptions(5, new Dictionary<string, double> { ["speed"] = 1 }).EffectiveWeights());
        Assert.Throws<ArgumentException>(() => new AssessmentOptions(5, new Dictionary<string, double> { ["onTime"] = -1 }).EffectiveWeights());
        Assert.Empty(new AssessmentOptions(5, new Dictionary<string, double> { ["onTime"] = 0 }).EffectiveWeights());
    }

    [Fact]
    public void Median_and_percentile_are_defined_on_any_count()
    {
        Assert.Equal(3, Statistics.Median([3]));
        Assert.Equal(2.5, Statistics.Median([2, 3]));
        Assert.Equal(3, Statistics.Percentile([1, 2, 3], 90));
        Assert.Equal(1, Statistics.Percentile([1, 2, 3], 10));
        Assert.Throws<ArgumentException>(() => Statistics.Median([]));
    }
}
