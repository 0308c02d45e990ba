using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Reports;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class DuplicateAndMergeTests(AzuriteFixture azurite)
{
    private static Intake At(string channelRef, string category, double lat, double lon, string phone, string address = "幸福路12号") =>
        IntakeOf(channelRef) with
        {
            Category = category,
            Location = new Location(address, "east", lat, lon),
            Citizen = new Citizen("某人", phone, false),
        };

    [Fact]
    public void Distances_and_address_keys()
    {
        Assert.InRange(DuplicateFinder.DistanceMeters(30.2500, 120.1600, 30.2509, 120.1600), 99, 101); // 0.0009 degrees of latitude
        Assert.Equal(DuplicateFinder.AddressKey("幸福路 12 号（东门）"), DuplicateFinder.AddressKey("幸福路12号(东门)"));
        Assert.NotEqual(DuplicateFinder.CitizenKey("13800001234"), DuplicateFinder.CitizenKey("13800001235"));
        Assert.Equal(DuplicateFinder.CitizenKey("138-0000-1234"), DuplicateFinder.CitizenKey("13800001234"));
    }

    [Fact]
    public async Task Intake_flags_the_same_category_nearby_and_the_same_citizen_but_not_others()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var intake = host.Get<IntakeService>();
        async Task<Matter> Submit(Intake i) => (await intake.SubmitAsync(CallCentre, i)).Outcome.State!;

        var first = await Submit(At("d-1", "water-pressure", 30.2500, 120.1600, "13800000001"));
        var nearby = await Submit(At("d-2", "water-pressure", 30.2510, 120.1600, "13800000002", "幸福路14号")); // ~111 m
        var far = await Submit(At("d-3", "water-pressure", 30.2700, 120.1600, "13800000003", "光明路1号"));  // ~2.2 km
        var otherCategory = await Submit(At("d-4", "housing", 30.2500, 120.1600, "13800000004"));
        var sameCitizen = await Submit(At("d-5", "housing", 30.3000, 120.2000, "13800000001", "别处"));
        var sameAddress = await Submit(At("d-6", "water-pressure", 30.4000, 120.4000, "13800000006", "幸福路 12 号"));

        Assert.Empty(first.PossibleDuplicates);
        Assert.Equal([first.Id], nearby.PossibleDuplicates);
        Assert.Empty(far.PossibleDuplicates);
        Assert.Empty(otherCategory.PossibleDuplicates);
        Assert.Equal([first.Id], sameCitizen.PossibleDuplicates);
        Assert.Equal([first.Id], sameAddress.PossibleDuplicates); // same address written differently, far by coordinates
    }

    [Fact]
    public void A_radius_reads_only_the_cells_it_touches()
    {
        // 200 m around a point in the middle of a 0.01° cell stays in it; near a corner it touches four cells.
        Assert.Single(DuplicateIndex.PlaceKeysAround("water-pressure", 30.2550, 120.1650, 200));
        Assert.Equal(4, DuplicateIndex.PlaceKeysAround("water-pressure", 30.2501, 120.1601, 200).Count);
        Assert.DoesNotContain(DuplicateIndex.PlaceKeysAround("water-pressure", 30.2501, 120.1601, 200), k => k.Contains("housing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_search_makes_the_same_requests_however_many_unrelated_matters_the_index_holds()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var counter = new RequestCount();
        var counted = new TableClientOptions();
        counted.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var finder = new DuplicateFinder(new DuplicateIndex(new TableClient(azurite.ConnectionString, host.Prefix + "DuplicateKeys", counted)), new RuntimeOptions());
        var keys = host.Get<DuplicateIndex>();
        var now = T("2026-03-02 09:00");
        var probe = At("probe", "water-pressure", 30.2501, 120.1601, "13800000001") with { ReceivedAt = now };
        await keys.WriteAsync("earlier", At("e", "water-pressure", 30.2505, 120.1605, "13800000009", "光明路1号") with { ReceivedAt = now.AddDays(-2) });

        async Task<(IReadOnlyList<string> Found, int Requests)> SearchAsync()
        {
            counter.Reset();
            var found = await finder.FindAsync("new", probe);
            return (found, counter.Value);
        }
        var before = await SearchAsync();

        // More matters than a page of a table query holds (1,000), all within the window: the same category elsewhere
        // in the city, other categories at the same place, and the same key before the window.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_100), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var (category, lat, receivedAt) = (i % 10) switch
            {
                0 => ("housing", 30.2501, now.AddHours(-(i % 150))),
                1 => ("water-pressure", 30.2501, now.AddDays(-10)),
                _ => ("water-pressure", 30.2601 + i % 7 * 0.01, now.AddHours(-(i % 150))),
            };
            await keys.WriteAsync("unrelated-" + i, At("u", category, lat, 120.1601, "", "") with { ReceivedAt = receivedAt }, ct);
        });
        var after = await SearchAsync();

        Assert.Equal(["earlier"], before.Found);
        Assert.Equal(before.Found, after.Found);
        Assert.Equal(before.Requests, after.Requests);
        Assert.Equal(6, before.Requests); // four place cells, the address, the citizen
    }

    [Fact]
    public async Task The_rebuild_writes_the_duplicate_keys_again()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var first = (await host.Get<IntakeService>().SubmitAsync(CallCentre, At("r-1", "water-pressure", 30.2500, 120.1600, "13800000001"))).Outcome.State!;
        var nearby = At("r-2", "water-pressure", 30.2510, 120.1600, "13800000002", "幸福路14号");
        var finder = host.Get<DuplicateFinder>();
        Assert.Equal([first.Id], await finder.FindAsync("new", nearby));

        var table = host.Get<HotlineTables>().DuplicateKeys;
        await foreach (var row in table.QueryAsync<TableEntity>()) await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        Assert.Empty(await finder.FindAsync("new", nearby));

        await host.Get<ProjectionRebuilder>().RebuildAsync();
        Assert.Equal([first.Id], await finder.FindAsync("new", nearby));
    }

    private sealed class RequestCount : HttpPipelinePolicy
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Reset() => Interlocked.Exchange(ref _value, 0);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _value);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _value);
            return ProcessNextAsync(message, pipeline);
        }
    }

    [Fact]
    public async Task Merging_closes_the_duplicate_and_the_survivor_records_it_through_an_effect()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var survivor = await host.SubmitAsync("m-1");
        var duplicate = await host.SubmitAsync("m-2");

        await host.DoAsync(duplicate, new MergeInto(Dispatcher, survivor, "同一问题"));

        var store = host.Get<MatterStore>();
        Assert.Equal(MatterStatus.Merged, (await store.LoadAsync(duplicate))!.State.Status);
        Assert.Equal([duplicate], (await store.LoadAsync(survivor))!.State.AbsorbedDuplicates);
        Assert.Empty(await store.PendingEffectsAsync(duplicate));
        // Running the effect again (a crash before it was removed) changes nothing.
        var again = await host.Get<MatterService>().ExecuteAsync(survivor, new AbsorbDuplicate(Actor.System, duplicate));
        Assert.Equal(RefusalCodes.DuplicateKnown, again.Refusal!.Code);
    }

    [Fact]
    public async Task The_directory_is_seeded_once_and_a_stale_update_is_refused()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var store = host.Get<DirectoryStore>();
        var first = await store.RefreshAsync();
        Assert.Equal(2, first.Directory.All.Count);

        var parks = new OrganizerUnit("parks", new Orchestrations.Profiles.Text("园林局", "Parks"), new Contact("周办", "13900000005"), new Contact("吴局", "13900000006"), [], ["parks"]);
        var second = await store.SaveUnitAsync(parks, first.DirectoryVersion);
        Assert.NotNull(second.Directory.Find("parks"));
        await Assert.ThrowsAsync<StaleVersionException>(() => store.SaveUnitAsync(parks with { Categories = ["trees"] }, first.DirectoryVersion));

        // Another host sees the change when it refreshes; nobody re-seeds over it.
        await using var twin = host.Twin(azurite.ConnectionString);
        Assert.NotNull((await twin.Get<DirectoryStore>().RefreshAsync()).Directory.Find("parks"));
        await Assert.ThrowsAsync<FormatException>(() => store.SaveRoutingAsync(new RoutingTable([new RoutingRule("x", null, "nobody", null, true)], new Dictionary<string, string>(), null), second.RoutingVersion));
    }
}
