using Azure;
using Hotline.Storage.Tables;
using Hotline.Testing;

namespace Hotline.Storage.Tests;

public sealed class TableClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly StorageConnection _connection = StorageConnection.Parse(azurite.ConnectionString);

    private async Task<TableClient> NewTableAsync()
    {
        var table = new TableClient(_connection, StorageNames.Table());
        Assert.True((await table.CreateIfNotExistsAsync()).Value);
        return table;
    }

    [Fact]
    public async Task Create_if_not_exists_reports_whether_it_created_the_table()
    {
        var table = new TableClient(_connection, StorageNames.Table());

        Assert.True((await table.CreateIfNotExistsAsync()).Value);
        Assert.False((await table.CreateIfNotExistsAsync()).Value);
    }

    [Fact]
    public async Task Every_property_type_round_trips()
    {
        var table = await NewTableAsync();
        var when = new DateTimeOffset(2025, 3, 1, 8, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("matter-1", "state")
        {
            ["Text"] = "市民来电 'quoted' \"double\" \n line",
            ["Int32"] = -42,
            ["Int64"] = long.MaxValue - 7,
            ["Double"] = 3.141592653589793,
            ["WholeDouble"] = 5.0,
            ["Tiny"] = double.Epsilon,
            ["NotANumber"] = double.NaN,
            ["Infinite"] = double.PositiveInfinity,
            ["Huge"] = -1.5e300,
            ["Flag"] = true,
            ["When"] = when,
            ["Bytes"] = new byte[] { 0, 1, 2, 254, 255 },
            ["Id"] = id,
        };

        var etag = (await table.AddEntityAsync(entity)).Value;
        var read = (await table.GetEntityAsync("matter-1", "state")).Value;

        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("市民来电 'quoted' \"double\" \n line", read.GetString("Text"));
        Assert.Equal(-42, read.GetInt32("Int32"));
        Assert.IsType<int>(read["Int32"]);
        Assert.Equal(long.MaxValue - 7, read.GetInt64("Int64"));
        Assert.IsType<long>(read["Int64"]);
        Assert.Equal(3.141592653589793, read.GetDouble("Double"));
        Assert.Equal(5.0, read.GetDouble("WholeDouble"));
        Assert.IsType<double>(read["WholeDouble"]);
        Assert.Equal(double.Epsilon, read.GetDouble("Tiny"));
        Assert.True(double.IsNaN(read.GetDouble("NotANumber")!.Value));
        Assert.Equal(double.PositiveInfinity, read.GetDouble("Infinite"));
        Assert.Equal(-1.5e300, read.GetDouble("Huge"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(when.UtcTicks, read.GetDateTimeOffset("When")!.Value.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.GetDateTimeOffset("When")!.Value.Offset);
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, read.GetBinary("Bytes"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(entity.Properties.Keys.Order(), read.Properties.Keys.Order());

        // The same values come back through a query, too (odata.etag in the body instead of a header).
        var queried = Assert.Single(await table.QueryAsync(TableFilter.Create($"RowKey eq {"state"}")).ToListAsync());
        Assert.Equal(etag, queried.ETag);
        Assert.Equal(long.MaxValue - 7, queried.GetInt64("Int64"));
        Assert.Equal(when, queried.GetDateTimeOffset("When"));
        Assert.Equal(id, queried.GetGuid("Id"));
    }

    [Fact]
    public async Task Keys_with_quotes_spaces_percent_and_chinese_work_for_point_operations()
    {
        var table = await NewTableAsync();
        const string pk = "O'Brien & 张三 100%";
        const string rk = "a'b''c d+e=f;g,h(i)";
        var etag = (await table.AddEntityAsync(new TableEntity(pk, rk) { ["V"] = 1 })).Value;

        var read = (await table.GetEntityAsync(pk, rk)).Value;
        Assert.Equal(pk, read.PartitionKey);
        Assert.Equal(rk, read.RowKey);

        read["V"] = 2;
        await table.UpdateEntityAsync(read, etag);
        Assert.Equal(2, (await table.GetEntityAsync(pk, rk)).Value.GetInt32("V"));
        Assert.Equal(204, (await table.DeleteEntityAsync(pk, rk)).Status);
        Assert.False((await table.GetEntityIfExistsAsync(pk, rk)).HasValue);
    }

    [Fact]
    public async Task Missing_entity_reads_as_no_value_and_delete_of_missing_is_not_an_error()
    {
        var table = await NewTableAsync();

        var missing = await table.GetEntityIfExistsAsync("nobody", "nothing");

        Assert.False(missing.HasValue);
        Assert.Equal(404, missing.GetRawResponse().Status);
        Assert.Throws<InvalidOperationException>(() => missing.Value);
        Assert.Equal(404, (await table.DeleteEntityAsync("nobody", "nothing")).Status);
    }

    [Fact]
    public async Task Insert_of_an_existing_row_fails_with_409_entity_already_exists()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, e.Status);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
    }

    [Fact]
    public async Task Upsert_merge_keeps_unsent_properties_and_upsert_replace_drops_them()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" }, TableUpdateMode.Merge);
        var merged = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Equal("a", merged.GetString("A"));
        Assert.Equal("b2", merged.GetString("B"));

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["C"] = "c" }, TableUpdateMode.Replace);
        var replaced = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Null(replaced["A"]);
        Assert.Null(replaced["B"]);
        Assert.Equal("c", replaced.GetString("C"));
    }

    [Fact]
    public async Task Update_replace_with_etag_and_unconditional_update_and_delete_with_stale_etag()
    {
        var table = await NewTableAsync();
        var first = (await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" })).Value;

        var second = (await table.UpdateEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" }, first, TableUpdateMode.Replace)).Value;
        Assert.NotEqual(first, second);
        var replaced = (await table.GetEntityAsync("p", "r")).Value;
        Assert.Null(replaced["A"]);
        Assert.Equal(second, replaced.ETag);

        var third = (await table.UpdateEntityAsync(new TableEntity("p", "r") { ["C"] = "c" }, ETag.All)).Value;
        Assert.Equal("b2", (await table.GetEntityAsync("p", "r")).Value.GetString("B"));

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", second));
        Assert.Equal(412, stale.Status);
        Assert.Equal(204, (await table.DeleteEntityAsync("p", "r", third)).Status);

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Concurrent_writers_on_one_entity_the_loser_gets_412_and_succeeds_after_reread()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("matter-7", "state") { ["Version"] = 1, ["Log"] = "created" });

        // Both writers read the same version...
        var alice = (await table.GetEntityAsync("matter-7", "state")).Value;
        var bob = (await table.GetEntityAsync("matter-7", "state")).Value;
        Assert.Equal(alice.ETag, bob.ETag);

        // ...both try to write at once; exactly one wins.
        alice["Version"] = 2;
        alice["Log"] = "created;alice";
        bob["Version"] = 2;
        bob["Log"] = "created;bob";
        var attempts = await Task.WhenAll(
            Attempt(() => table.UpdateEntityAsync(alice, alice.ETag, TableUpdateMode.Replace)),
            Attempt(() => table.UpdateEntityAsync(bob, bob.ETag, TableUpdateMode.Replace)));
        Assert.Single(attempts, a => a is null);
        var failure = Assert.Single(attempts, a => a is not null)!;
        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);

        // The loser re-reads, re-applies its change on top of the winner's, and succeeds.
        var loserName = attempts[0] is null ? "bob" : "alice";
        var current = (await table.GetEntityAsync("matter-7", "state")).Value;
        current["Version"] = current.GetInt32("Version")!.Value + 1;
        current["Log"] = current.GetString("Log") + ";" + loserName;
        await table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace);

        var final = (await table.GetEntityAsync("matter-7", "state")).Value;
        Assert.Equal(3, final.GetInt32("Version"));
        Assert.EndsWith(";" + loserName, final.GetString("Log"), StringComparison.Ordinal);
        Assert.Equal(3, final.GetString("Log")!.Split(';').Length);

        static async Task<RequestFailedException?> Attempt(Func<Task> write)
        {
            try
            {
                await write();
                return null;
            }
            catch (RequestFailedException e)
            {
                return e;
            }
        }
    }

    [Fact]
    public async Task Paging_with_small_top_returns_every_row_exactly_once()
    {
        var table = await NewTableAsync();
        // 250 rows over 3 partitions, written in transactions of up to 100.
        var all = Enumerable.Range(0, 250).Select(i => new TableEntity($"p{i % 3}", $"r{i:D4}") { ["N"] = i }).ToList();
        foreach (var chunk in all.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        }

        var pages = 0;
        var seen = new List<int>();
        TableContinuationToken? token = null;
        do
        {
            var page = (await table.QueryPageAsync(top: 30, continuation: token)).Value;
            Assert.True(page.Entities.Count <= 30);
            seen.AddRange(page.Entities.Select(e => e.GetInt32("N")!.Value));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.True(pages >= 9, $"expected at least 9 pages of 30, got {pages}");
        Assert.Equal(Enumerable.Range(0, 250), seen.Order());

        var streamed = await table.QueryAsync(pageSize: 30).Select(e => e.GetInt32("N")!.Value).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 250), streamed.Order());

        var filtered = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p1"} and N ge {200}"), select: ["N"], pageSize: 7).ToListAsync();
        Assert.Equal(Enumerable.Range(200, 50).Where(i => i % 3 == 1), filtered.Select(e => e.GetInt32("N")!.Value).Order());
        Assert.All(filtered, e => Assert.Equal("p1", e.PartitionKey));
    }

    [Fact]
    public async Task Filter_values_with_quotes_are_escaped_and_match_exactly()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "1") { ["Name"] = "O'Brien" });
        await table.AddEntityAsync(new TableEntity("p", "2") { ["Name"] = "O" });
        await table.AddEntityAsync(new TableEntity("p", "3") { ["Name"] = "x' or Name ne 'x" });

        var obrien = await table.QueryAsync(TableFilter.Create($"Name eq {"O'Brien"}")).ToListAsync();
        Assert.Equal("1", Assert.Single(obrien).RowKey);

        // An injection attempt is just a value that matches nothing but itself.
        var injection = await table.QueryAsync(TableFilter.Create($"Name eq {"x' or Name ne 'x"}")).ToListAsync();
        Assert.Equal("3", Assert.Single(injection).RowKey);
    }

    [Fact]
    public async Task Filters_on_typed_values_match()
    {
        var table = await NewTableAsync();
        var due = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("p", "1") { ["Due"] = due, ["Big"] = 5_000_000_000L, ["Score"] = 2.0, ["Open"] = true, ["Id"] = id });
        await table.AddEntityAsync(new TableEntity("p", "2") { ["Due"] = due.AddDays(1), ["Big"] = 1L, ["Score"] = 0.5, ["Open"] = false, ["Id"] = Guid.NewGuid() });

        async Task<string> Only(FormattableString filter) => Assert.Single(await table.QueryAsync(TableFilter.Create(filter)).ToListAsync()).RowKey;

        Assert.Equal("1", await Only($"Due lt {due.AddHours(1)}"));
        Assert.Equal("1", await Only($"Big gt {4_000_000_000L}"));
        Assert.Equal("1", await Only($"Score eq {2.0}"));
        Assert.Equal("1", await Only($"Open eq {true}"));
        Assert.Equal("1", await Only($"Id eq {id}"));
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_key_is_refused()
    {
        var table = await NewTableAsync();
        var wrongKey = StorageConnection.Parse(azurite.ConnectionString.Replace(AzuriteInstance.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => new TableClient(wrongKey, table.Name).AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(403, e.Status);
        Assert.False((await table.GetEntityIfExistsAsync("p", "r")).HasValue);
    }
}
