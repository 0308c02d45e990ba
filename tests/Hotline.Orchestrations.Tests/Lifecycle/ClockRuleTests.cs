using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>
/// The readings written down in the profiles (README "Finding a rule"): same-day clocks, the organizer's clock paused
/// while the platform reviews a reply, and the total of extensions.
/// </summary>
public sealed class ClockRuleTests
{
    [Fact]
    public void An_urgent_matter_dispatched_late_in_the_day_signs_before_it_is_due_and_its_cutoff_is_ahead_Fujian_art_14_20_5()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 16:00"), Urgency.Urgent).Dispatched(T("2026-03-02 16:00"));
        var d = story.Matter.Deadlines;
        Assert.Equal(T("2026-03-02 16:30"), d.SignBy);             // phoned to sign: 30 minutes
        Assert.Equal(T("2026-03-02 16:15"), d.SignOffReminderAt);
        Assert.Equal(T("2026-03-03 16:00"), d.DueBy);              // 24 hours
        Assert.Equal(T("2026-03-03 04:00"), d.ExtensionCutoff);    // halfway, not already past
        Assert.True(d.SignBy < d.DueBy && d.ReturnBy <= d.DueBy && d.ContactBy <= d.DueBy);
    }

    [Fact]
    public void An_urgent_matter_received_on_a_Saturday_does_not_wait_for_Monday_Fujian_art_14()
    {
        var at = T("2026-03-07 10:00"); // a Saturday
        var story = new Story("fujian");
        story.Do(new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Help, Urgency.Urgent, receivedAt: at), new Route(Lead, [])), at);
        Assert.Equal(T("2026-03-07 10:30"), story.Matter.Deadlines.SignBy);
        Assert.Equal(T("2026-03-08 10:00"), story.Matter.Deadlines.DueBy);
    }

    [Fact]
    public void A_same_day_limit_under_a_working_time_profile_runs_in_working_hours_Weifang_art_20()
    {
        // Weifang has no urgent limit; a statutory limit of 0 days is "the same day" in working time (weifang.json sameDay: 7 hours).
        var story = new Story("weifang").Submitted(MatterType.Complaint, T("2026-03-02 15:00")).Dispatched(T("2026-03-02 16:00"), statutoryLimit: 0);
        var d = story.Matter.Deadlines;
        Assert.Equal(T("2026-03-03 09:30"), d.SignBy);
        Assert.Equal(T("2026-03-03 16:00"), d.DueBy);
        Assert.Equal(T("2026-03-03 11:00"), d.ExtensionCutoff);
    }

    [Fact]
    public void The_organizers_clock_stops_while_the_platform_reviews_the_reply_and_resumes_with_the_time_left()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"));
        Assert.Equal(T("2026-03-16 17:30"), story.Matter.Deadlines.DueBy);
        story.Fire(AlarmKind.ReturnWindowEnd);
        story.Replied(T("2026-03-16 10:00"));                       // 6 working hours left; 2 before the cutoff at 13:30
        Assert.Empty(MatterAlarms.Of(story.Matter));

        story.Do(new ReviewReply(Dispatcher, false, "照片不清楚"), T("2026-03-18 15:00")); // the review took two days
        Assert.Equal(T("2026-03-19 14:00"), story.Matter.Deadlines.DueBy);            // 2.5 h on the 18th, 3.5 h on the 19th
        Assert.Equal(T("2026-03-18 17:00"), story.Matter.Deadlines.ExtensionCutoff);
        Assert.False(story.Matter.Supervised);
        Assert.Equal(AlarmKind.ExtensionCutoff, MatterAlarms.Next(story.Matter)!.Kind);

        // Replayed from its events, the matter has the same resumed deadlines.
        Assert.Equal(story.Matter.Deadlines, Matter.Replay(story.History).Deadlines);
    }

    [Fact]
    public void A_reply_sent_back_after_its_deadline_had_passed_stays_overdue_without_a_second_alarm()
    {
        var story = new Story("weifang").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"));
        story.Fire(AlarmKind.ReturnWindowEnd).Fire(AlarmKind.ExtensionCutoff).Fire(AlarmKind.HandlingDue);
        story.Replied(T("2026-03-10 09:00"), withPhoto: false).Do(new ReviewReply(Dispatcher, false, null), T("2026-03-11 09:00"));
        Assert.Equal(T("2026-03-09 17:30"), story.Matter.Deadlines.DueBy);
        Assert.Empty(MatterAlarms.Of(story.Matter));
    }

    [Fact]
    public void Two_extensions_together_may_not_exceed_the_original_limit_Fujian_art_20_6()
    {
        // The reading chosen (extension.totalMaxIsOriginalLimit): the cap is on the time added.
        var story = new Story("citizen-hotline").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"));
        story.Do(new ApplyForExtension(Unit, 3, "一"), T("2026-03-03 10:00")).Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 11:00"));
        var refusal = story.Refuses(new ApplyForExtension(Unit, 3, "二"), T("2026-03-04 10:00"), RefusalCodes.ExtensionTooLong);
        Assert.Contains("Together", refusal.Message);
        story.Do(new ApplyForExtension(Unit, 2, "二"), T("2026-03-04 10:00"));
        Assert.Equal(5, story.Matter.ExtensionDaysCounted);
    }
}
