using System.Text.Json;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Reports;
using Hotline.Runtime.Store;
using Azure.Data.Tables;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

/// <summary>The facts table as the write path keeps it, and its rebuild from the events.</summary>
[Collection("Azurite")]
public sealed class ReportProjectionTests(AzuriteFixture azurite)
{
    private static readonly Actor Water = Actor.Organizer("water");
    private static readonly Actor Housing = Actor.Organizer("housing");
    private static readonly EvidenceRef Photo = new("m/photo-1.jpg", "image/jpeg", 1000);
    private static readonly DateTimeOffset March = T("2026-03-01 00:00");
    private static readonly DateTimeOffset April = T("2026-04-01 00:00");

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, HotlineJson.Options);

    private static async Task<string> SubmitAsync(RuntimeHarness host, string channelRef, DateTimeOffset? receivedAt = null, string address = "幸福路12号", string category = "water-pressure")
    {
        var intake = IntakeOf(channelRef) with
        {
            ReceivedAt = receivedAt ?? host.Clock.GetUtcNow(),
            Category = category,
            Location = new Location(address, "east", null, null),
        };
        var outcome = await host.Get<IntakeService>().SubmitAsync(CallCentre, intake);
        Assert.True(outcome.Outcome.Accepted, outcome.Outcome.Refusal?.ToString());
        return outcome.Outcome.State!.Id;
    }

    [Fact]
    public async Task Each_change_keeps_a_matter_row_and_a_row_per_assignment_equal_to_the_facts_of_the_history()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await SubmitAsync(host, "facts-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(id, new ApplyForReturn(Water, "不属本单位"));
        await host.DoAsync(id, new DecideReturn(Dispatcher, true, null, ReassignTo: "housing"));
        await host.DoAsync(id, new SignMatter(Housing));

        var facts = host.Get<FactsProjection>();
        var expected = MatterFacts.From(await host.Get<MatterStore>().EventsAsync(id));
        var assignments = await facts.AssignmentsReceivedAsync(March, April);
        var matter = Assert.Single(await facts.MattersReceivedAsync(March, April));

        Assert.Equal(6, expected.Version);
        Assert.Equal(["water", "housing"], assignments.OrderBy(a => a.Number).Select(a => a.Organizer));
        Assert.Equal(Json(expected.Assignments), Json(assignments.OrderBy(a => a.Number)));
        Assert.Equal(Json(expected with { Assignments = [] }), Json(matter));
    }

    [Fact]
    public async Task An_assignment_is_found_in_the_month_its_unit_received_it_even_when_the_matter_came_in_earlier()
    {
        await using var host = await StartAsync(azurite.ConnectionString, now: T("2026-02-27 16:00"));
        var id = await SubmitAsync(host, "facts-2");
        host.Clock.Set(T("2026-03-02 09:30"));
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));

        var facts = host.Get<FactsProjection>();

        Assert.Equal(id, Assert.Single(await facts.AssignmentsReceivedAsync(March, April)).MatterId);
        Assert.Empty(await facts.MattersReceivedAsync(March, April));
        Assert.Equal(id, Assert.Single(await facts.MattersReceivedAsync(T("2026-02-01 00:00"), March)).MatterId);
        Assert.Empty(await facts.AssignmentsReceivedAsync(T("2026-02-01 00:00"), March));
    }

    [Fact]
    public async Task An_older_history_never_overwrites_newer_facts_not_even_in_a_rebuild()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await SubmitAsync(host, "facts-3");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(id, new SignMatter(Water));
        var history = await host.Get<MatterStore>().EventsAsync(id);
        var facts = host.Get<FactsProjection>();

        await facts.ProjectAsync([.. history.Take(2)]);
        await facts.ProjectAsync([.. history.Take(2)], rewrite: true);

        Assert.NotNull(Assert.Single(await facts.AssignmentsReceivedAsync(March, April)).SignedAt);
    }

    [Fact]
    public async Task A_rebuild_from_the_events_gives_the_same_reports_as_the_incremental_path_and_repairs_what_was_damaged()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var pump = host.Get<AlarmPump>();
        var done = await SubmitAsync(host, "r-1");
        var returned = await SubmitAsync(host, "r-2", address: "幸福路 12 号");
        var rejected = await SubmitAsync(host, "r-3");
        var late = await SubmitAsync(host, "r-4", category: "housing", address: "长江路1号");
        await host.DoAsync(done, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(returned, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(late, new DispatchMatter(Dispatcher, "housing", []));
        await host.DoAsync(rejected, new RejectMatter(Dispatcher, "outside-area", null));
        host.Clock.Set(T("2026-03-02 09:40"));
        await host.DoAsync(done, new SignMatter(Water));
        await host.DoAsync(returned, new ApplyForReturn(Water, "不属本单位"));
        await host.DoAsync(returned, new DecideReturn(Dispatcher, true, null, ReassignTo: "housing"));
        host.Clock.Set(T("2026-03-02 14:00"));
        await pump.DrainAsync(); // the housing bureau let both sign-off deadlines pass
        await host.DoAsync(done, new SubmitReply(Water, "已修复", [Photo]));
        await host.DoAsync(done, new ReviewReply(Dispatcher, true, null));
        await host.DoAsync(done, new EvaluateMatter(CallCentre, EvaluationResult.Satisfied, null));
        host.Clock.Set(T("2026-03-20 09:00"));

        var reports = host.Get<AssessmentReports>();
        var asOf = host.Clock.GetUtcNow();
        var options = new AssessmentOptions(MinimumForRates: 1);
        var organizersBefore = Json(await reports.OrganizersAsync(March, April, asOf, options));
        var hotspotsBefore = Json(await reports.HotspotsAsync(March, April));
        Assert.Contains("\"supervised\":2", organizersBefore, StringComparison.Ordinal); // the housing bureau's two overdue sign-offs

        // Damage the projections: lose a facts row, corrupt another at its own version, add a stray one, corrupt an index row.
        var tables = host.Get<HotlineTables>();
        var rows = new List<TableEntity>();
        await foreach (var row in tables.Facts.QueryAsync<TableEntity>()) rows.Add(row);
        var lost = rows.First(r => r.RowKey.StartsWith("a-" + done, StringComparison.Ordinal));
        await tables.Facts.DeleteEntityAsync(lost.PartitionKey, lost.RowKey);
        var corrupt = rows.First(r => r.RowKey.StartsWith("a-" + late, StringComparison.Ordinal));
        corrupt["Json"] = ((string)corrupt["Json"]!).Replace("\"housing\"", "\"water\"", StringComparison.Ordinal);
        await tables.Facts.UpdateEntityAsync(corrupt, corrupt.ETag, TableUpdateMode.Replace);
        await tables.Facts.AddEntityAsync(new TableEntity("2026-03", "a-STRAY-01") { ["Version"] = 1 });
        // ...and a unit's sum of a day in the report counters, which the organizer report reads.
        var sum = await tables.ReportCounters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"s-water"}")).FirstAsync();
        sum["Json"] = "{}";
        await tables.ReportCounters.UpdateEntityAsync(sum, sum.ETag, TableUpdateMode.Replace);
        var indexRow = (await tables.MatterIndex.GetEntityAsync<TableEntity>("2026-03", late)).Value;
        indexRow["Status"] = "closed";
        await tables.MatterIndex.UpdateEntityAsync(indexRow, indexRow.ETag, TableUpdateMode.Merge);
        Assert.NotEqual(organizersBefore, Json(await reports.OrganizersAsync(March, April, asOf, options)));

        var result = await host.Get<ProjectionRebuilder>().RebuildAsync();

        Assert.Equal((4, 1), (result.Matters, result.StaleFactRowsRemoved));
        Assert.Equal(4 + 4, result.FactRows); // four matter rows, four assignments (one returned)
        Assert.Equal(organizersBefore, Json(await reports.OrganizersAsync(March, April, asOf, options)));
        Assert.Equal(hotspotsBefore, Json(await reports.HotspotsAsync(March, April)));
        Assert.Equal(MatterStatus.AwaitingSignOff, (await host.Get<MatterIndex>().GetAsync(late, T("2026-03-02 09:00")))!.Status);
        Assert.False((await tables.Facts.GetEntityIfExistsAsync<TableEntity>("2026-03", "a-STRAY-01")).HasValue);
    }

    [Theory]
    [InlineData("幸福路12号")]
    [InlineData(" 東湖區 幸福路 12 號（北門）")]
    [InlineData("Room 3-B, No.7 Jiefang Rd.")]
    [InlineData("")]
    [InlineData(null)]
    public void Reports_and_intake_agree_on_what_the_same_address_is(string? address)
    {
        Assert.Equal(DuplicateFinder.AddressKey(address), Places.AddressKey(address));
    }
}
