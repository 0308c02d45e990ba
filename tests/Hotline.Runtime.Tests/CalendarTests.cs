using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Calendars;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

/// <summary>
/// Installed holiday schedules recompute provisional deadlines through the one write path. The 2027 schedule is test
/// data (1 to 4 January off), not the State Council's.
/// </summary>
[Collection("Azurite")]
public sealed class CalendarTests(AzuriteFixture azurite)
{
    private const string Schedule2027 = "date,kind,holiday\n2027-01-01,off,New Year's Day\n2027-01-02,off,New Year's Day\n2027-01-03,off,New Year's Day\n2027-01-04,off,Test rest day\n";

    private static readonly Actor Water = Actor.Organizer("water");

    private static Task<CalendarSnapshot> InstallAsync(RuntimeHarness host) =>
        host.Get<CalendarStore>().InstallAsync(HolidaySchedule.Read(Schedule2027, 2027).Schedule!, Schedule2027, "ops-1", host.Clock.GetUtcNow(), null);

    [Fact]
    public async Task The_pass_recomputes_a_provisional_matter_and_its_alarms_follow_the_new_deadlines()
    {
        await using var host = await StartAsync(azurite.ConnectionString, now: T("2026-12-31 16:00"));
        var id = await host.SubmitAsync("cal-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        var before = (await host.Get<MatterStore>().LoadAsync(id))!.State;
        Assert.Equal(T("2027-01-01 09:30"), before.Deadlines.SignBy);
        Assert.Equal([2027], before.UncoveredCalendarYears);

        await InstallAsync(host);
        var report = await host.Get<ProvisionalDeadlines>().RecomputeAsync();
        Assert.Equal(new RecomputeReport(1, 0, 0), report);
        Assert.Equal(new RecomputeReport(0, 0, 0), await host.Get<ProvisionalDeadlines>().RecomputeAsync()); // nothing provisional is left

        var after = (await host.Get<MatterStore>().LoadAsync(id))!.State;
        Assert.Equal(T("2027-01-05 09:30"), after.Deadlines.SignBy);
        Assert.Equal(T("2027-01-07 17:30"), after.Deadlines.DueBy);
        Assert.Empty(after.UncoveredCalendarYears);

        // The old sign-off deadline passes without consequence; the new one is enforced.
        var pump = host.Get<AlarmPump>();
        host.Clock.Set(T("2027-01-01 09:30"));
        await pump.DrainAsync();
        Assert.False((await host.Get<MatterStore>().LoadAsync(id))!.State.Supervised);
        host.Clock.Set(T("2027-01-05 09:30"));
        await pump.DrainAsync();
        var overdue = (await host.Get<MatterStore>().LoadAsync(id))!.State;
        Assert.Equal(T("2027-01-05 09:30"), overdue.Supervision.Single().Since);
        Assert.Equal(["Assignment", "DeadlinesLater", "SignOffReminder", "SignOffOverdue"], (await host.Get<SmsOutbox>().ListAsync(id)).Select(s => s.NoticeKind));
    }

    [Fact]
    public async Task A_host_that_knows_the_year_recomputes_a_matter_before_its_next_command_even_before_the_pass()
    {
        await using var first = await StartAsync(azurite.ConnectionString, now: T("2026-12-31 16:00"));
        await using var second = first.Twin(azurite.ConnectionString);
        var id = await first.SubmitAsync("cal-2");
        await first.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));

        await InstallAsync(first);
        Assert.False(second.Get<CalendarStore>().Current.Holidays.Covers(2027));
        var refreshed = await second.Get<CalendarStore>().RefreshAsync();
        Assert.Equal(CalendarSource.Installed, refreshed.Find(2027)!.Source);
        Assert.Equal("ops-1", refreshed.Find(2027)!.InstalledBy);

        var signed = await second.DoAsync(id, new SignMatter(Water));

        Assert.Equal(["matterSubmitted", "matterDispatched", "deadlinesRecomputed", "matterSigned"], signed.State!.Timeline.Select(t => t.Event));
        Assert.Equal(T("2027-01-07 17:30"), signed.State.Deadlines.DueBy);
    }
}
