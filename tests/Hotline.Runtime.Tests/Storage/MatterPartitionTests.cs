using Azure;
using Azure.Data.Tables;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests.Storage;

/// <summary>
/// The matter partition through the SDK's TableClient: a change is one entity-group transaction under the state
/// row's ETag, so a concurrent writer gets 412 and a failed transaction leaves every row as it was.
/// </summary>
[Collection("Azurite")]
public sealed class MatterPartitionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_commit_under_a_stale_etag_is_refused_with_412_and_writes_nothing()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("stale-1");
        var store = host.Get<MatterStore>();
        var loaded = (await store.LoadAsync(id))!;

        // Another writer commits first, under the same ETag.
        var dispatched = Next(loaded.State, new DispatchMatter(Dispatcher, "water", []), host.Clock.GetUtcNow());
        await store.CommitAsync(loaded.ETag, dispatched.State, dispatched.Events, [], host.Clock.GetUtcNow());
        var before = await RowKeysAsync(host, id);

        var conflict = await Assert.ThrowsAsync<MatterConflictException>(() =>
            store.CommitAsync(loaded.ETag, dispatched.State, dispatched.Events, [new EffectDraft("sms", "{}")], host.Clock.GetUtcNow()));

        var failure = Assert.IsAssignableFrom<RequestFailedException>(conflict.InnerException);
        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.Equal(before, await RowKeysAsync(host, id));
        Assert.Equal(2, (await store.LoadAsync(id))!.State.Version);
    }

    [Fact]
    public async Task A_transaction_one_row_of_which_exists_already_changes_nothing()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("atomic-1");
        var store = host.Get<MatterStore>();
        var loaded = (await store.LoadAsync(id))!;
        // A stray row where the next event would go: the state update and the effect in the same transaction must not land.
        await host.Get<HotlineTables>().Matters.AddEntityAsync(new TableEntity(id, "event-00000002") { ["Json"] = "{}", ["JsonChunks"] = 1 });
        var before = await RowKeysAsync(host, id);

        var next = Next(loaded.State, new DispatchMatter(Dispatcher, "water", []), host.Clock.GetUtcNow());
        var conflict = await Assert.ThrowsAsync<MatterConflictException>(() =>
            store.CommitAsync(loaded.ETag, next.State, next.Events, [new EffectDraft("sms", "{}")], host.Clock.GetUtcNow()));

        var failure = Assert.IsType<TableTransactionFailedException>(conflict.InnerException);
        Assert.Equal(409, failure.Status);
        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.Equal(before, await RowKeysAsync(host, id));
        var after = (await store.LoadAsync(id))!;
        Assert.Equal(loaded.ETag, after.ETag);
        Assert.Equal(1, after.State.Version);
    }

    private static (Matter State, IReadOnlyList<MatterEvent> Events) Next(Matter state, MatterCommand command, DateTimeOffset now)
    {
        var lifecycle = MatterLifecycle.For(Hotline.Orchestrations.Profiles.ProfileCatalog.Get("fujian"), Hotline.Orchestrations.Time.HolidayCalendar.Embedded);
        var (decision, next) = lifecycle.Apply(state, command, now);
        Assert.True(decision.Accepted, decision.Refusal?.ToString());
        return (next!, decision.Events);
    }

    private static async Task<string[]> RowKeysAsync(RuntimeHarness host, string id) =>
        await host.Get<HotlineTables>().Matters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), select: ["RowKey"])
            .Select(e => e.RowKey + "@" + e.ETag).OrderBy(k => k, StringComparer.Ordinal).ToArrayAsync();
}
