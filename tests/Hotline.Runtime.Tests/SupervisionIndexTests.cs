using Azure.Data.Tables;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Reports;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

/// <summary>The supervision list reads its own index, which holds rows for supervised matters only (issue 13).</summary>
[Collection("Azurite")]
public sealed class SupervisionIndexTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_supervision_index_holds_a_row_per_supervised_matter_follows_lifting_and_is_rebuilt_from_the_events()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var tables = host.Get<HotlineTables>();
        var index = host.Get<MatterIndex>();
        var supervised = await host.SubmitAsync("s-1");
        var other = await host.SubmitAsync("s-2");
        await host.DoAsync(supervised, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(other, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(supervised, new PutUnderSupervision(Dispatcher, "群众反映强烈"));

        var version = (await host.Get<MatterStore>().LoadAsync(supervised))!.State.Version;
        var row = Assert.Single(await RowsAsync(tables.Supervision));
        Assert.Equal((supervised, version), (row.RowKey, row.GetInt32("Version")));
        Assert.Equal([supervised], (await index.SupervisedAsync(null, null, null, 50, null)).Items.Select(m => m.Id));

        // The list is read from the index, not from the matters: a row only there is listed, a matter with none is not.
        var stray = new TableEntity(row) { RowKey = other, ["Version"] = (await host.Get<MatterStore>().LoadAsync(other))!.State.Version };
        stray.Remove("odata.etag");
        stray.Remove("Timestamp");
        await tables.Supervision.AddEntityAsync(stray);
        await tables.Supervision.DeleteEntityAsync(row.PartitionKey, supervised);
        Assert.Equal([other], (await index.SupervisedAsync(null, null, null, 50, null)).Items.Select(m => m.Id));

        // The rebuild restores the supervised matter's row and removes the one no history supports.
        await host.Get<ProjectionRebuilder>().RebuildAsync();
        Assert.Equal([(supervised, version)], (await RowsAsync(tables.Supervision)).Select(r => (r.RowKey, r.GetInt32("Version"))));
        Assert.Equal([supervised], (await index.SupervisedAsync(null, null, null, 50, null)).Items.Select(m => m.Id));

        // Lifting removes the row; supervising again adds it at the newer version.
        await host.DoAsync(supervised, new LiftSupervision(Dispatcher, "已督办完毕"));
        Assert.Empty(await RowsAsync(tables.Supervision));
        Assert.Empty((await index.SupervisedAsync(null, null, null, 50, null)).Items);
        await host.DoAsync(supervised, new PutUnderSupervision(Dispatcher, "再次督办"));
        Assert.Equal([(supervised, version + 2)], (await RowsAsync(tables.Supervision)).Select(r => (r.RowKey, r.GetInt32("Version"))));
    }

    private static async Task<List<TableEntity>> RowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>()) rows.Add(row);
        return rows;
    }
}
