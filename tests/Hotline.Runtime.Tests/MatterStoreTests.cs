using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class MatterStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task State_events_and_history_are_stored_together_and_replay_to_the_same_state()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("call-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(id, new SignMatter(Actor.Organizer("water")));

        var store = host.Get<MatterStore>();
        var stored = (await store.LoadAsync(id))!;
        var events = await store.EventsAsync(id);
        Assert.Equal(3, stored.State.Version);
        Assert.Equal(MatterStatus.Handling, stored.State.Status);
        Assert.Equal(["matterSubmitted", "matterDispatched", "matterSigned"], events.Select(Matter.EventName));
        var replayed = Matter.Replay(events);
        Assert.Equal(stored.State.Deadlines, replayed.Deadlines);
        Assert.Equal(stored.State.Timeline, replayed.Timeline);
        Assert.Empty(await store.PendingEffectsAsync(id)); // inline effects ran and were removed
    }

    [Fact]
    public async Task A_state_larger_than_one_table_property_round_trips()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var description = string.Concat(Enumerable.Repeat("水管破裂导致路面积水，", 8000)); // 88,000 characters
        var outcome = await host.Get<IntakeService>().SubmitAsync(CallCentre, IntakeOf("long-1", description: description));
        var stored = await host.Get<MatterStore>().LoadAsync(outcome.Outcome.State!.Id);
        Assert.Equal(description, stored!.State.Intake.Description);
    }

    [Fact]
    public async Task Concurrent_writers_on_one_matter_all_land_in_order_through_etag_retries()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        await using var twin = host.Twin(azurite.ConnectionString);
        var id = await host.SubmitAsync("call-2");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(id, new SignMatter(Actor.Organizer("water")));

        // Ten contacts recorded at once from two hosts: every one must land, none overwrite another.
        var writes = Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? host : twin).Get<MatterService>().ExecuteAsync(id, new RecordContact(Actor.Organizer("water"), $"第{i}次联系")));
        var outcomes = await Task.WhenAll(writes);

        Assert.All(outcomes, o => Assert.True(o.Accepted));
        var events = await host.Get<MatterStore>().EventsAsync(id);
        Assert.Equal(13, events.Count);
        Assert.Equal(10, events.OfType<CitizenContacted>().Select(c => c.Note).Distinct().Count());
        Assert.Equal(13, (await host.Get<MatterStore>().LoadAsync(id))!.State.Version);
    }

    [Fact]
    public async Task A_refused_command_writes_nothing()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("call-3");
        var before = await host.Get<MatterStore>().LoadAsync(id);
        var outcome = await host.Get<MatterService>().ExecuteAsync(id, new SignMatter(Actor.Organizer("water")));
        Assert.Equal(RefusalCodes.NotTheOrganizer, outcome.Refusal!.Code);
        var after = await host.Get<MatterStore>().LoadAsync(id);
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Single(await host.Get<MatterStore>().EventsAsync(id));
    }
}
