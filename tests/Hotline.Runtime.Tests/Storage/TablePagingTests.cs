using Azure.Data.Tables;
using Hotline.Runtime.Store;
using Hotline.Testing;

namespace Hotline.Runtime.Tests.Storage;

/// <summary>Queries follow the SDK's continuation tokens: every row exactly once, however small the pages.</summary>
[Collection("Azurite")]
public sealed class TablePagingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Paging_with_small_pages_returns_every_row_exactly_once()
    {
        var table = new TableClient(azurite.ConnectionString, StorageNames.Table());
        await table.CreateIfNotExistsAsync();
        // 250 rows over 3 partitions, written in transactions of up to 100.
        var all = Enumerable.Range(0, 250).Select(i => new TableEntity($"p{i % 3}", $"r{i:D4}") { ["N"] = i }).ToList();
        foreach (var chunk in all.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        }

        var pages = 0;
        var seen = new List<int>();
        string? token = null;
        do
        {
            var page = await table.QueryPageAsync(null, top: 30, continuation: token);
            Assert.True(page.Entities.Count <= 30);
            seen.AddRange(page.Entities.Select(e => e.GetInt32("N")!.Value));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.True(pages >= 9, $"expected at least 9 pages of 30, got {pages}");
        Assert.Equal(Enumerable.Range(0, 250), seen.Order());

        var filtered = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p1"} and N ge {200}"), maxPerPage: 7, select: ["N"])
            .Select(e => e.GetInt32("N")!.Value).ToListAsync();
        Assert.Equal(Enumerable.Range(200, 50).Where(i => i % 3 == 1), filtered.Order());
    }
}
