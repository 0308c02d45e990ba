using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>The hotline accepts matters around the clock, holidays included; only the organizers' clocks keep office hours.</summary>
public sealed class AcceptanceHoursTests
{
    [Theory]
    [InlineData("fujian", "2026-10-03 23:40", "2026-10-08 17:30")]    // National Day, at night: the first working day after is Oct 8
    [InlineData("weifang", "2026-03-07 03:15", "2026-03-09 17:30")]   // a Saturday before dawn
    [InlineData("guangzhou", "2026-03-02 12:30", "2026-03-03 18:00")] // the lunch break, under Guangzhou's own hours
    public void A_matter_is_accepted_at_any_hour_and_on_holidays_and_its_dispatch_clock_starts_the_next_working_day_Weifang_art_17(
        string profile, string receivedAt, string dispatchBy)
    {
        var story = new Story(profile).Submitted(MatterType.Help, T(receivedAt));

        Assert.Equal(MatterStatus.AwaitingDispatch, story.Matter.Status);
        Assert.Equal(T(receivedAt), story.Matter.Intake.ReceivedAt);
        Assert.Equal(T(dispatchBy), story.Matter.Deadlines.DispatchBy);
    }
}
