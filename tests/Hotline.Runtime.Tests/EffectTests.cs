using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class EffectTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_dispatch_sends_the_organizer_one_sms_with_a_working_link_and_indexes_the_matter()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("call-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", ["housing"]));

        var outbox = await host.Get<SmsOutbox>().ListAsync(id);
        var sms = Assert.Single(outbox, s => s.To == "13900000001"); // the water bureau's handler
        // The co-organizer gets an SMS of its own, with its own link, for its part (Fujian 16).
        Assert.Equal([("13900000003", nameof(Orchestrations.Notices.NoticeKind.CoOrganizerAssignment))],
            outbox.Where(s => s != sms).Select(s => (s.To, s.NoticeKind)));
        Assert.Equal(nameof(Orchestrations.Notices.NoticeKind.Assignment), sms.NoticeKind);
        Assert.Contains(id, sms.Text);
        Assert.Contains("03-02 11:00", sms.Text); // sign by: two working hours after 09:00
        var token = sms.Text[(sms.Text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        var grant = await host.Get<OrganizerLinks>().ResolveAsync(token);
        Assert.Equal(new LinkGrant(id, "water", grant!.ExpiresAt), grant);
        Assert.Null(await host.Get<OrganizerLinks>().ResolveAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));

        var summary = await host.Get<MatterIndex>().GetAsync(id, T("2026-03-02 09:00"));
        Assert.Equal(MatterStatus.AwaitingSignOff, summary!.Status);
        Assert.Equal("water", summary.Organizer);
        Assert.Equal(3, summary.Version); // submitted, dispatched, the co-organizer's part asked
    }

    [Fact]
    public async Task An_sms_effect_executed_twice_sends_one_sms()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var handler = host.Get<IEnumerable<IEffectHandler>>().Single(h => h.Kind == EffectKinds.Sms);
        var notice = new Orchestrations.Notices.Notice(Orchestrations.Notices.NoticeKind.Assignment, "water", Orchestrations.Notices.Recipient.Handler, T("2026-03-02 11:00"));
        var effect = new PendingEffect("20260302ABCDEFGH", "00000002-01", EffectKinds.Sms,
            System.Text.Json.JsonSerializer.Serialize(notice, HotlineJson.Options), 0, default, null, default);

        await handler.ExecuteAsync(effect, default);
        await handler.ExecuteAsync(effect, default); // a crash after sending, before the effect was removed

        Assert.Single(await host.Get<SmsOutbox>().ListAsync("20260302ABCDEFGH"));
    }

    [Fact]
    public async Task A_failing_effect_is_retried_with_backoff_and_then_poisoned_never_dropped()
    {
        // "parks" is not in the directory: its SMS can never be sent.
        await using var host = await StartAsync(azurite.ConnectionString, new RuntimeOptions { RunEffectsInline = true, EffectRetryBase = TimeSpan.FromSeconds(10), MaxEffectAttempts = 3 });
        var id = await host.SubmitAsync("call-2");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "parks", []));

        var store = host.Get<MatterStore>();
        var pending = Assert.Single(await store.PendingEffectsAsync(id));
        Assert.Equal(EffectKinds.Sms, pending.Kind);
        Assert.Equal(1, pending.Attempts);
        Assert.Equal(host.Clock.GetUtcNow().AddSeconds(10), pending.NotBefore, TimeSpan.FromSeconds(2));
        Assert.Contains("not in the directory", pending.LastError, StringComparison.Ordinal);

        // Not yet due: nothing runs.
        Assert.Equal(1, await host.Get<EffectRunner>().RunAsync(id));
        Assert.Equal(1, Assert.Single(await store.PendingEffectsAsync(id)).Attempts);

        // The retry sweep fires when the attempt is due; the second failure doubles the delay.
        host.Clock.Advance(TimeSpan.FromSeconds(11));
        await host.Get<AlarmPump>().DrainAsync();
        Assert.Equal(2, Assert.Single(await store.PendingEffectsAsync(id)).Attempts);

        host.Clock.Advance(TimeSpan.FromSeconds(21));
        await host.Get<AlarmPump>().DrainAsync();
        Assert.Empty(await store.PendingEffectsAsync(id));
        var poisoned = (await host.Get<PoisonList>().ListAsync()).Single(p => p.MatterId == id);
        Assert.Equal(3, poisoned.Attempts);
        Assert.Equal(EffectKinds.Sms, poisoned.Kind);
        Assert.DoesNotContain("13800000000", poisoned.Payload + poisoned.Error); // no citizen's phone
    }

    [Fact]
    public async Task Effects_left_behind_by_a_lost_process_are_run_by_the_sweep()
    {
        // Background mode with no worker running: as if the process died right after the commit.
        var options = new RuntimeOptions { RunEffectsInline = false, SweepDelay = TimeSpan.FromSeconds(30) };
        await using var host = await StartAsync(azurite.ConnectionString, options);
        var id = await host.SubmitAsync("call-3");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        Assert.NotEmpty(await host.Get<MatterStore>().PendingEffectsAsync(id));
        Assert.Empty(await host.Get<SmsOutbox>().ListAsync(id));

        await using var survivor = host.Twin(azurite.ConnectionString, options);
        Assert.Equal(0, await survivor.Get<AlarmPump>().DrainAsync()); // nothing due yet
        host.Clock.Advance(TimeSpan.FromSeconds(31));
        await survivor.Get<AlarmPump>().DrainAsync();

        Assert.Empty(await host.Get<MatterStore>().PendingEffectsAsync(id));
        Assert.Single(await host.Get<SmsOutbox>().ListAsync(id));
        Assert.Equal(MatterStatus.AwaitingSignOff, (await host.Get<MatterIndex>().GetAsync(id, T("2026-03-02 09:00")))!.Status);
    }

    [Fact]
    public async Task The_staff_index_answers_by_status_organizer_and_overdue_with_paging()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = await host.SubmitAsync($"idx-{i}");
            await host.DoAsync(id, new DispatchMatter(Dispatcher, i < 3 ? "water" : "housing", []));
            ids.Add(id);
        }
        await host.DoAsync(ids[0], new SignMatter(Actor.Organizer("water")));

        var index = host.Get<MatterIndex>();
        var now = host.Clock.GetUtcNow();
        var water = await index.QueryAsync(new MatterQuery(Organizer: "water"), now);
        Assert.Equal(3, water.Items.Count);
        var handling = await index.QueryAsync(new MatterQuery(Status: MatterStatus.Handling), now);
        Assert.Equal([ids[0]], handling.Items.Select(m => m.Id));
        Assert.Empty((await index.QueryAsync(new MatterQuery(Overdue: true), now)).Items);
        // Help matters are due in 3 working days: 2026-03-05 17:30.
        var later = T("2026-03-05 17:31");
        Assert.Equal(5, (await index.QueryAsync(new MatterQuery(Overdue: true), later)).Items.Count);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await index.QueryAsync(new MatterQuery(PageSize: 2, ContinuationToken: token), now);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(m => m.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Throws<FormatException>(() => MatterIndex.DecodeToken("not a token!"));
    }
}
