using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Assessment.AssessmentRules;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Assessment;

/// <summary>Each definition of the assessment, on hand-made facts.</summary>
public sealed class AssessmentRuleTests
{
    /// <summary>Received Monday 2026-03-02 10:00: sign by 12:00, contact by 03-03 17:30, due 03-05 17:30 (Fujian help).</summary>
    internal static AssignmentFacts Received(string organizer = "water", string matterId = "M-1", string at = "2026-03-02 10:00") => new()
    {
        MatterId = matterId,
        Number = 1,
        Organizer = organizer,
        Type = MatterType.Help,
        Category = "water-pressure",
        District = "east",
        ReceivedAt = T(at),
        SignBy = T(at).AddHours(2),
        ContactBy = T("2026-03-03 17:30"),
        DueBy = T("2026-03-05 17:30"),
    };

    [Fact]
    public void Signing_is_on_time_up_to_and_including_the_deadline_001_Fujian_art_17()
    {
        Assert.True(SignedOnTime(Received() with { SignedAt = T("2026-03-02 12:00") }));
        Assert.False(SignedOnTime(Received() with { SignedAt = T("2026-03-02 12:01") }));
        Assert.False(SignedOnTime(Received()));
    }

    [Fact]
    public void An_unsigned_assignment_counts_for_the_response_rate_only_once_its_deadline_passed()
    {
        var a = Received();
        Assert.False(DueToSign(a, T("2026-03-02 11:59")));
        Assert.True(DueToSign(a, T("2026-03-02 12:00")));
        Assert.True(DueToSign(a with { SignedAt = T("2026-03-02 10:05") }, T("2026-03-02 10:06")));
    }

    [Fact]
    public void A_unit_that_applied_in_time_for_a_return_the_platform_approved_owed_no_signature_Fujian_art_19()
    {
        var asOf = T("2026-03-04 09:00");
        var inTime = Received() with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-03-02 11:00"), Return = ReturnOutcome.Approved };
        Assert.False(DueToSign(inTime, asOf));
        Assert.False(DueToSign(inTime with { Return = ReturnOutcome.Pending }, asOf)); // not settled yet
        Assert.True(DueToSign(inTime with { Return = ReturnOutcome.Refused }, asOf));
        Assert.True(DueToSign(inTime with { ReturnAppliedAt = T("2026-03-02 13:40") }, asOf)); // it let the deadline pass first
        Assert.False(DueToSign(Received() with { MergedAt = T("2026-03-02 10:30") }, asOf));
    }

    [Fact]
    public void The_share_of_approved_returns_counts_decided_returns_only_Weifang_art_26_1()
    {
        var applied = Received() with { ReturnsApplied = 2, ReturnAppliedAt = T("2026-03-02 11:00") };
        Assert.True(Returned(applied with { Return = ReturnOutcome.Pending }));
        Assert.False(ReturnDecided(applied with { Return = ReturnOutcome.Pending }));
        Assert.True(ReturnDecided(applied with { Return = ReturnOutcome.Refused }) && !ReturnApproved(applied with { Return = ReturnOutcome.Refused }));
        Assert.True(ReturnApproved(applied with { Return = ReturnOutcome.Approved }));
        Assert.False(Returned(Received()));
    }

    [Fact]
    public void Contact_is_assessed_only_where_the_profile_sets_a_deadline_Fujian_art_20_4()
    {
        var asOf = T("2026-03-10 09:00");
        Assert.False(DueToContact(Received() with { ContactBy = null }, asOf));
        Assert.True(DueToContact(Received(), asOf));
        Assert.False(DueToContact(Received(), T("2026-03-03 17:00")));
        Assert.True(ContactedOnTime(Received() with { ContactedAt = T("2026-03-03 17:30") }));
        Assert.False(ContactedOnTime(Received() with { ContactedAt = T("2026-03-04 09:00") }));
    }

    [Fact]
    public void Completion_is_judged_by_the_accepted_replys_submission_not_by_the_review_Fujian_art_18_20()
    {
        var replied = Received() with { RepliedAt = T("2026-03-05 17:00"), CompletedAt = T("2026-03-06 10:00") };
        Assert.True(Completed(replied) && CompletedOnTime(replied));
        Assert.False(CompletedOnTime(replied with { RepliedAt = T("2026-03-06 09:00") }));
        Assert.False(CompletedOnTime(Received() with { UnderReviewSince = T("2026-03-05 17:00") }));
    }

    [Fact]
    public void An_open_assignment_counts_for_the_on_time_rate_once_overdue_unless_its_duty_ended_lawfully_Weifang_art_21()
    {
        var asOf = T("2026-03-09 09:00");
        Assert.False(DueToComplete(Received(), T("2026-03-05 17:29")));
        Assert.True(DueToComplete(Received(), asOf));
        Assert.False(DueToComplete(Received() with { TerminatedAt = T("2026-03-05 10:00") }, asOf));
        Assert.True(DueToComplete(Received() with { TerminatedAt = T("2026-03-06 10:00") }, asOf));
        Assert.False(DueToComplete(Received() with { UnderReviewSince = T("2026-03-05 16:00") }, asOf)); // waiting for the platform
        Assert.True(DueToComplete(Received() with { UnderReviewSince = T("2026-03-06 16:00") }, asOf));
        Assert.False(DueToComplete(Received() with { ReturnsApplied = 1, ReturnAppliedAt = T("2026-03-02 11:00"), Return = ReturnOutcome.Approved }, asOf));
    }

    [Fact]
    public void Satisfaction_counts_satisfied_and_basically_satisfied_and_a_lapsed_window_is_no_evaluation_Fujian_art_25()
    {
        Assert.True(Satisfied(Received() with { Evaluation = EvaluationResult.Satisfied }));
        Assert.True(Satisfied(Received() with { Evaluation = EvaluationResult.BasicallySatisfied }));
        Assert.False(Satisfied(Received() with { Evaluation = EvaluationResult.Unsatisfied }));
        Assert.True(Evaluated(Received() with { Evaluation = EvaluationResult.Unsatisfied }));
        Assert.False(Evaluated(Received()));
    }

    [Fact]
    public void Working_time_to_sign_and_to_complete_skips_lunch_nights_and_weekends()
    {
        var calendar = WorkingCalendar.Default;
        var a = Received(at: "2026-03-06 11:00") with { SignedAt = T("2026-03-06 14:00"), RepliedAt = T("2026-03-09 10:00"), CompletedAt = T("2026-03-09 11:00") };

        Assert.Equal(TimeSpan.FromHours(1.5), TimeToSign(a, calendar)); // 11:00-12:00 and 13:30-14:00
        Assert.Equal(TimeSpan.FromHours(6), TimeToComplete(a, calendar)); // Friday 11:00-17:30 less lunch is 5 h, Monday 09:00-10:00
        Assert.Null(TimeToSign(Received(), calendar));
        Assert.Null(TimeToComplete(a with { CompletedAt = null }, calendar));
    }

    [Fact]
    public void The_period_is_half_open()
    {
        Assert.True(InPeriod(T("2026-03-01 00:00"), T("2026-03-01 00:00"), T("2026-04-01 00:00")));
        Assert.False(InPeriod(T("2026-04-01 00:00"), T("2026-03-01 00:00"), T("2026-04-01 00:00")));
    }

    [Fact]
    public void Weeks_start_on_Monday_in_China_Standard_Time()
    {
        Assert.Equal(new DateOnly(2026, 3, 2), WeekStart(T("2026-03-08 23:59")));
        // Monday 00:30 in Beijing is still Sunday in UTC.
        Assert.Equal(new DateOnly(2026, 3, 9), WeekStart(DateTimeOffset.Parse("2026-03-08T16:30:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_same_place_is_the_same_address_as_written_or_within_the_radius()
    {
        MatterFacts At(string address, double? lat = null, double? lon = null) => new()
        {
            MatterId = "M", Version = 1, ReceivedAt = T("2026-03-02 09:00"), Type = MatterType.Complaint, Category = "noise",
            AddressKey = Places.AddressKey(address), Lat = lat, Lon = lon,
        };
        Assert.True(SamePlace(At("幸福路 12 号"), At("幸福路12号，"), 200));
        Assert.False(SamePlace(At(""), At(""), 200));
        // 0.001° of latitude is about 111 m.
        Assert.True(SamePlace(At("甲", 30.250, 120.16), At("乙", 30.2517, 120.16), 200));
        Assert.False(SamePlace(At("甲", 30.250, 120.16), At("乙", 30.2520, 120.16), 200));
    }
}
