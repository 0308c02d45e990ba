using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class AlarmTests(AzuriteFixture azurite)
{
    private static readonly Actor Water = Actor.Organizer("water");

    [Fact]
    public async Task Deadlines_fire_when_the_clock_reaches_them_with_one_sms_each()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("call-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", [])); // sign by 11:00, reminder at 10:30
        var pump = host.Get<AlarmPump>();

        host.Clock.Set(T("2026-03-02 10:29"));
        await pump.DrainAsync();
        Assert.Single(await host.Get<SmsOutbox>().ListAsync(id));

        host.Clock.Set(T("2026-03-02 10:30"));
        await pump.DrainAsync();
        host.Clock.Set(T("2026-03-02 11:00"));
        await pump.DrainAsync();
        await pump.DrainAsync();

        var state = (await host.Get<MatterStore>().LoadAsync(id))!.State;
        Assert.True(state.Supervised);
        Assert.Equal(SupervisionReason.SignOffOverdue, state.Supervision.Single().Reason);
        var sms = await host.Get<SmsOutbox>().ListAsync(id);
        Assert.Equal(["Assignment", "SignOffReminder", "SignOffOverdue"], sms.Select(s => s.NoticeKind));
        Assert.Equal("13900000002", sms[2].To); // escalated to the unit's leader
    }

    [Fact]
    public async Task An_alarm_made_stale_by_the_organizer_is_dropped_without_effect()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("call-2");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(id, new SignMatter(Water));

        host.Clock.Set(T("2026-03-02 11:30"));
        await host.Get<AlarmPump>().DrainAsync();

        var state = (await host.Get<MatterStore>().LoadAsync(id))!.State;
        Assert.False(state.Supervised);
        Assert.Equal(3, state.Version); // no AlarmFired for the stale sign-off alarms
        Assert.Single(await host.Get<SmsOutbox>().ListAsync(id));
        Assert.Equal(0, await host.Get<AlarmIndex>().CountDueAsync(host.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Two_hosts_polling_one_store_deliver_each_alarm_once()
    {
        await using var a = await StartAsync(azurite.ConnectionString);
        await using var b = a.Twin(azurite.ConnectionString);
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var id = await a.SubmitAsync($"two-{i}");
            await a.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
            ids.Add(id);
        }

        // The reminders of all eight, then their sign-off deadlines, each raced by both hosts.
        foreach (var instant in new[] { "2026-03-02 10:30", "2026-03-02 11:00" })
        {
            a.Clock.Set(T(instant));
            await Task.WhenAll(a.Get<AlarmPump>().DrainAsync(), b.Get<AlarmPump>().DrainAsync(), a.Get<AlarmPump>().DrainAsync(), b.Get<AlarmPump>().DrainAsync());
            await a.Get<AlarmPump>().DrainAsync(); // whatever a lost race left for later
        }

        foreach (var id in ids)
        {
            var events = await a.Get<MatterStore>().EventsAsync(id);
            Assert.Equal(2, events.OfType<AlarmFired>().Count());
            Assert.Equal(3, (await a.Get<SmsOutbox>().ListAsync(id)).Count);
        }
    }

    [Fact]
    public async Task A_lease_held_by_a_dead_host_expires_and_the_alarm_is_delivered()
    {
        await using var host = await StartAsync(azurite.ConnectionString, new Hotline.Runtime.RuntimeOptions { RunEffectsInline = true, AlarmLease = TimeSpan.FromSeconds(60) });
        var id = await host.SubmitAsync("call-3");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));

        host.Clock.Set(T("2026-03-02 10:30"));
        var index = host.Get<AlarmIndex>();
        var claimed = await index.ClaimDueAsync(host.Clock.GetUtcNow(), TimeSpan.FromSeconds(60), 100); // claimed, then the host "dies"
        Assert.Contains(claimed, c => c.Alarm.Kind == "signOffReminder");
        Assert.Equal(0, await host.Get<AlarmPump>().RunOnceAsync());

        host.Clock.Advance(TimeSpan.FromSeconds(61));
        await host.Get<AlarmPump>().DrainAsync();
        Assert.Contains(await host.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "SignOffReminder");
    }
}
