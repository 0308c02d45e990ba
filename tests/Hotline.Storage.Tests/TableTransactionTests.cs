using Azure;
using Hotline.Storage.Tables;
using Hotline.Testing;

namespace Hotline.Storage.Tests;

public sealed class TableTransactionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly StorageConnection _connection = StorageConnection.Parse(azurite.ConnectionString);

    private async Task<TableClient> NewTableAsync()
    {
        var table = new TableClient(_connection, StorageNames.Table());
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static async Task<Dictionary<string, TableEntity>> RowsAsync(TableClient table) =>
        await table.QueryAsync().ToDictionaryAsync(e => e.RowKey);

    [Fact]
    public async Task A_mixed_transaction_applies_every_operation_and_returns_each_etag()
    {
        var table = await NewTableAsync();
        var mergeEtag = (await table.AddEntityAsync(new TableEntity("m", "merge") { ["A"] = "a", ["B"] = "b" })).Value;
        var replaceEtag = (await table.AddEntityAsync(new TableEntity("m", "replace") { ["A"] = "a", ["B"] = "b" })).Value;
        var deleteEtag = (await table.AddEntityAsync(new TableEntity("m", "delete"))).Value;
        await table.AddEntityAsync(new TableEntity("m", "upsert-existing") { ["A"] = "a" });

        var results = (await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("m", "state") { ["Version"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("m", "merge") { ["B"] = "b2" }, mergeEtag),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("m", "replace") { ["B"] = "b2" }, replaceEtag),
            new(TableTransactionActionType.Delete, new TableEntity("m", "delete"), deleteEtag),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("m", "upsert-existing") { ["C"] = "c" }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("m", "upsert-new") { ["D"] = "d" }),
        ])).Value;

        Assert.Equal(6, results.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5], results.Select(r => r.Index));
        Assert.All(results, r => Assert.InRange(r.Status, 200, 299));
        var rows = await RowsAsync(table);
        Assert.Equal(["merge", "replace", "state", "upsert-existing", "upsert-new"], rows.Keys.Order(StringComparer.Ordinal));
        // Each returned ETag is the row's current version.
        foreach (var result in results.Where(r => r.Action.ActionType != TableTransactionActionType.Delete))
        {
            Assert.NotEqual(default, result.ETag);
            Assert.Equal(rows[result.Action.Entity.RowKey].ETag, result.ETag);
        }
        Assert.Equal(default, results[3].ETag);
        Assert.Equal("a", rows["merge"].GetString("A"));
        Assert.Equal("b2", rows["merge"].GetString("B"));
        Assert.Null(rows["replace"]["A"]);
        Assert.Equal("a", rows["upsert-existing"].GetString("A"));
        Assert.Equal("c", rows["upsert-existing"].GetString("C"));
        Assert.Equal(1, rows["state"].GetInt32("Version"));
    }

    [Fact]
    public async Task A_transaction_with_an_insert_of_an_existing_row_changes_nothing_and_names_that_operation()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("matter-1", "event-0002") { ["Kind"] = "original" });
        var stateEtag = (await table.AddEntityAsync(new TableEntity("matter-1", "state") { ["Version"] = 1 })).Value;
        var before = await RowsAsync(table);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.UpdateMerge, new TableEntity("matter-1", "state") { ["Version"] = 2 }, stateEtag),
            new(TableTransactionActionType.Add, new TableEntity("matter-1", "event-0001") { ["Kind"] = "new" }),
            new(TableTransactionActionType.Add, new TableEntity("matter-1", "event-0002") { ["Kind"] = "duplicate" }),
            new(TableTransactionActionType.Add, new TableEntity("matter-1", "effect-0001") { ["Kind"] = "sms" }),
        ]));

        Assert.Equal(2, e.FailedIndex);
        Assert.Equal("event-0002", e.FailedAction?.Entity.RowKey);
        Assert.Equal(409, e.Status);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
        Assert.Contains("operation 2", e.Message, StringComparison.Ordinal);

        var after = await RowsAsync(table);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, after["state"].GetInt32("Version"));
        Assert.Equal(stateEtag, after["state"].ETag);
        Assert.Equal("original", after["event-0002"].GetString("Kind"));
    }

    [Fact]
    public async Task A_transaction_with_a_stale_etag_fails_with_412_at_that_operation_and_changes_nothing()
    {
        var table = await NewTableAsync();
        var stale = (await table.AddEntityAsync(new TableEntity("p", "state") { ["Version"] = 1 })).Value;
        await table.UpdateEntityAsync(new TableEntity("p", "state") { ["Version"] = 2 }, stale);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "event-3")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "state") { ["Version"] = 3 }, stale),
        ]));

        Assert.Equal(1, e.FailedIndex);
        Assert.Equal(412, e.Status);
        Assert.Equal("UpdateConditionNotSatisfied", e.ErrorCode);
        var rows = await RowsAsync(table);
        Assert.Equal(["state"], rows.Keys);
        Assert.Equal(2, rows["state"].GetInt32("Version"));
    }

    [Fact]
    public async Task Update_and_delete_default_to_the_entitys_own_etag()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "a") { ["V"] = 1 });
        var read = (await table.GetEntityAsync("p", "a")).Value;
        await table.UpsertEntityAsync(new TableEntity("p", "a") { ["V"] = 2 });

        read["V"] = 3;
        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(
            () => table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateMerge, read)]));

        Assert.Equal(412, e.Status);
        Assert.Equal(0, e.FailedIndex);
        Assert.Equal(2, (await table.GetEntityAsync("p", "a")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task A_full_transaction_of_100_operations_commits()
    {
        var table = await NewTableAsync();

        var results = (await table.SubmitTransactionAsync(Enumerable.Range(0, 100)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D3}") { ["N"] = i })))).Value;

        Assert.Equal(100, results.Count);
        Assert.Equal(100, (await RowsAsync(table)).Count);
    }

    [Fact]
    public async Task Invalid_transactions_are_rejected_before_sending()
    {
        var requests = new CountingPolicy();
        var table = new TableClient(_connection, StorageNames.Table(), requests.Options());

        TableTransactionAction Add(string pk, string rk) => new(TableTransactionActionType.Add, new TableEntity(pk, rk));

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(Enumerable.Range(0, 101).Select(i => Add("p", $"r{i}"))));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([Add("p1", "r"), Add("p2", "r")]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([Add("p", "r"), Add("p", "r")]));
        var badKey = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([Add("p", "ok"), Add("p", "bad/key")]));
        Assert.Equal("RowKey", badKey.ParamName);

        Assert.Equal(0, requests.Count);
    }
}
