using Azure.Core;
using Azure.Core.Pipeline;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Sms;
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
        // The search is the new matter's effect (run inline here, before SubmitAsync returns), which flags what it
        // finds in a command of its own: the matter as stored afterwards lists them.
        async Task<Matter> Submit(Intake i) =>
            (await host.Get<MatterStore>().LoadAsync((await intake.SubmitAsync(CallCentre, i)).Outcome.State!.Id))!.State;

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
    public async Task Intake_answers_after_three_storage_requests_and_the_search_flags_duplicates_a_moment_later()
    {
        var counter = new RequestCount();
        // Effects wait for a worker that is not running, as they would behind a busy host: what SubmitAsync sends is
        // the request path alone.
        await using var host = await StartAsync(azurite.ConnectionString, new RuntimeOptions { RunEffectsInline = false, SweepDelay = TimeSpan.FromSeconds(30) },
            storage: options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry));
        var intake = host.Get<IntakeService>();
        var matters = host.Get<MatterService>();
        async Task<(string Id, int Requests)> Submit(Intake i)
        {
            counter.Reset();
            var outcome = await intake.SubmitAsync(CallCentre, i);
            Assert.True(outcome.Created);
            return (outcome.Outcome.State!.Id, counter.Value);
        }
        ScheduledAlarm SweepOf(string id) => new(id, ScheduledAlarm.SweepKind, host.Clock.GetUtcNow() + TimeSpan.FromSeconds(30));

        var first = await Submit(At("p-1", "water-pressure", 30.2500, 120.1600, "13800000001"));
        await matters.RunEffectsAsync(first.Id, SweepOf(first.Id));
        var second = await Submit(At("p-2", "water-pressure", 30.2510, 120.1600, "13800000002", "幸福路14号"));

        Assert.Equal(3, first.Requests);  // the reservation, the sweep alarm, the commit
        Assert.Equal(3, second.Requests); // the same, however many matters the index holds
        var store = host.Get<MatterStore>();
        Assert.Empty((await store.LoadAsync(second.Id))!.State.PossibleDuplicates);

        // The worker's turn: the search runs and flags the first matter; the flag's own effects run in the same pass.
        await matters.RunEffectsAsync(second.Id, SweepOf(second.Id));
        var flagged = (await store.LoadAsync(second.Id))!.State;
        Assert.Equal([first.Id], flagged.PossibleDuplicates);
        Assert.IsType<PossibleDuplicatesFlagged>((await store.EventsAsync(second.Id))[^1]);
        Assert.Empty(await store.PendingEffectsAsync(second.Id));
        Assert.Equal(flagged.Version, (await host.Get<MatterIndex>().GetAsync(second.Id, flagged.Intake.ReceivedAt))!.Version);
        // No sweep is left behind: the flag's commit scheduled none of its own, and the pass cancelled the intake's.
        Assert.Equal(0, await CountAsync(host.Get<HotlineTables>().Alarms, $"Kind eq '{ScheduledAlarm.SweepKind}'"));

        // A repeat of the effect (a crash before it was removed) finds the same and records nothing.
        var again = await matters.ExecuteAsync(second.Id, new FlagPossibleDuplicates(Actor.System, [first.Id]));
        Assert.Equal(RefusalCodes.DuplicatesKnown, again.Refusal!.Code);
    }

    [Fact]
    public async Task A_flag_committed_by_the_matters_own_effect_does_not_run_its_other_effects_twice()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var directory = host.Get<DirectoryStore>();
        var versions = await directory.RefreshAsync();
        await directory.SaveRoutingAsync(new RoutingTable([new RoutingRule("water-pressure", null, "water", null, true)], new Dictionary<string, string>(), null),
            versions.RoutingVersion);
        var intake = host.Get<IntakeService>();
        var first = (await intake.SubmitAsync(CallCentre, At("s-1", "water-pressure", 30.2500, 120.1600, "13800000001"))).Outcome.State!;
        // Dispatched at intake (a certain route): one SMS with a link to the water bureau, then the search flags the first.
        var second = (await intake.SubmitAsync(CallCentre, At("s-2", "water-pressure", 30.2510, 120.1600, "13800000002", "幸福路14号"))).Outcome.State!;
        Assert.Equal("water", second.Organizer);

        var store = host.Get<MatterStore>();
        Assert.Equal([first.Id], (await store.LoadAsync(second.Id))!.State.PossibleDuplicates);
        Assert.Empty(await store.PendingEffectsAsync(second.Id));
        Assert.Single(await host.Get<SmsOutbox>().ListAsync(second.Id));
        // Each run of an SMS effect issues a link: one link, so the SMS effect ran once.
        Assert.Equal(1, await CountAsync(host.Get<HotlineTables>().Links, $"MatterId eq '{second.Id}' and PartitionKey lt 'unit-'"));
    }

    private static async Task<int> CountAsync(TableClient table, string filter)
    {
        var n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"])) n++;
        return n;
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

        // More than a thousand matters within the window: the same category elsewhere in the city, other categories at
        // the same place, and the same key before the window.
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
        // Four place cells, the address, the citizen; each in the two rows the window overlaps (8-day rows starting on
        // 2026-02-18 and 2026-02-26; the window runs from 02-23 to 03-02).
        Assert.Equal(6 * 2, before.Requests);
    }

    [Fact]
    public async Task A_key_with_more_matters_than_an_entity_holds_continues_in_overflow_rows()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        // Azurite takes any number of properties; the Table service refuses a 253rd, as this client does.
        var table = new PropertyLimitedTable(azurite.ConnectionString, host.Prefix + "DuplicateKeys");
        var keys = new DuplicateIndex(table);
        var now = T("2026-03-02 09:00");
        var ids = Enumerable.Range(0, 300).Select(i => "2026030200000" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (var id in ids) await keys.WriteAsync(id, At("o", "water-pressure", 30.2555, 120.1655, "13800000001") with { ReceivedAt = now.AddMinutes(-1) });
        await keys.WriteAsync(ids[7], At("o", "water-pressure", 30.2555, 120.1655, "13800000001") with { ReceivedAt = now.AddMinutes(-1) }); // a repeat

        Assert.Equal(3 * 2, table.Rows); // each of the three keys (place, address, citizen): a full row and its overflow row
        var found = await new DuplicateFinder(keys, new RuntimeOptions()).FindAsync("new", At("n", "water-pressure", 30.2555, 120.1655, "13800000009", "别处") with { ReceivedAt = now });
        Assert.Equal(ids, found);
    }

    private sealed class PropertyLimitedTable(string connectionString, string name) : TableClient(connectionString, name)
    {
        private readonly HashSet<string> _rows = [];

        public int Rows => _rows.Count;

        public override async Task<Response> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
        {
            var row = entity as TableEntity ?? throw new ArgumentException("TableEntity expected", nameof(entity));
            var stored = await GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            var names = (stored.HasValue ? stored.Value!.Keys : []).Concat(row.Keys)
                .Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Distinct().Count();
            if (names > DuplicateIndex.MaxEntriesPerRow)
            {
                throw new RequestFailedException(400, "The entity contains more properties than allowed.", TableErrorCode.TooManyProperties.ToString(), null);
            }
            _rows.Add(row.PartitionKey + "/" + row.RowKey);
            return await base.UpsertEntityAsync(entity, mode, cancellationToken);
        }
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
