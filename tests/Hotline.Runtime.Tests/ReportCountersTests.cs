using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Reports;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

/// <summary>The report counters: exactly the figures of the facts, whatever the projection replays, races or loses.</summary>
[Collection("Azurite")]
public sealed class ReportCountersTests(AzuriteFixture azurite)
{
    private static readonly Actor Water = Actor.Organizer("water");
    private static readonly EvidenceRef Photo = new("m/photo-1.jpg", "image/jpeg", 1000);
    private static readonly DateTimeOffset March = T("2026-03-01 00:00");
    private static readonly DateTimeOffset April = T("2026-04-01 00:00");
    private static readonly AssessmentOptions Options = new(MinimumForRates: 1);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, HotlineJson.Options);

    private static async Task<string> SubmitAsync(RuntimeHarness host, string channelRef, string category = "water-pressure", string? address = null)
    {
        var intake = IntakeOf(channelRef) with { ReceivedAt = host.Clock.GetUtcNow(), Category = category, Location = new Location(address ?? "幸福路" + channelRef, "east", null, null) };
        var outcome = await host.Get<IntakeService>().SubmitAsync(CallCentre, intake);
        Assert.True(outcome.Outcome.Accepted, outcome.Outcome.Refusal?.ToString());
        return outcome.Outcome.State!.Id;
    }

    /// <summary>
    /// Matters in every state the assessment tells apart: signed or not (the sign-off deadline still ahead), returned,
    /// completed and evaluated; two at one address (a repeated place), one not accepted, one received the day before.
    /// </summary>
    private static async Task<string[]> MixAsync(RuntimeHarness host)
    {
        host.Clock.Set(T("2026-03-01 18:00"));
        var rejected = await SubmitAsync(host, "mix-rejected");
        await host.DoAsync(rejected, new RejectMatter(Dispatcher, "outside-area", null));
        await SubmitAsync(host, "mix-sunday", address: "幸福路 mix-3");
        host.Clock.Set(T("2026-03-02 09:00"));
        var ids = new List<string>();
        for (var i = 0; i < 6; i++) ids.Add(await SubmitAsync(host, "mix-" + i, i == 5 ? "housing" : "water-pressure", i == 4 ? "幸福路mix-3" : null));
        foreach (var id in ids) await host.DoAsync(id, new DispatchMatter(Dispatcher, id == ids[5] ? "housing" : "water", []));
        host.Clock.Set(T("2026-03-02 09:40"));
        await host.DoAsync(ids[0], new SignMatter(Water));
        await host.DoAsync(ids[1], new SignMatter(Water));
        await host.DoAsync(ids[2], new ApplyForReturn(Water, "不属本单位"));
        await host.DoAsync(ids[2], new DecideReturn(Dispatcher, true, null, ReassignTo: "housing"));
        await host.DoAsync(ids[0], new SubmitReply(Water, "已修复", [Photo]));
        await host.DoAsync(ids[0], new ReviewReply(Dispatcher, true, null));
        await host.DoAsync(ids[0], new EvaluateMatter(CallCentre, EvaluationResult.Satisfied, null));
        return [.. ids];
    }

    private static async Task<string> FactsReportAsync(RuntimeHarness host, DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf)
    {
        var assignments = await host.Get<FactsProjection>().AssignmentsReceivedAsync(from, to);
        return Json(OrganizerAssessment.Compute(assignments, from, to, asOf, host.Get<Calendars.CalendarStore>().Current.Lifecycle.Calendar, Options));
    }

    private static async Task<string[]> RowsAsync(TableClient table)
    {
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row.PartitionKey + "/" + row.RowKey + " " + row.GetInt32("Version") + " " + row.GetString("Units") + row.GetString("Places") + " " + (row.TryGetValue("Json", out var json) ? json : ""));
        }
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task The_report_from_the_counters_is_the_report_from_the_facts_at_every_instant_and_for_any_period()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        await MixAsync(host);
        var reports = host.Get<AssessmentReports>();

        // Before and after the open assignments' sign-off deadlines pass, with no event in between; and a period that
        // starts and ends inside a day, read partly from the counters and partly assignment by assignment.
        foreach (var asOf in new[] { T("2026-03-02 09:45"), T("2026-03-02 13:00"), T("2026-03-05 09:00"), T("2026-03-31 09:00") })
        {
            Assert.Equal(await FactsReportAsync(host, March, April, asOf), Json(await reports.OrganizersAsync(March, April, asOf, Options)));
        }
        var (from, to) = (T("2026-03-02 09:00"), T("2026-03-02 09:20"));
        Assert.Equal(await FactsReportAsync(host, from, to, T("2026-03-05 09:00")), Json(await reports.OrganizersAsync(from, to, T("2026-03-05 09:00"), Options)));
        Assert.Equal(await FactsReportAsync(host, T("2026-02-27 12:00"), to, T("2026-03-05 09:00")),
            Json(await reports.OrganizersAsync(T("2026-02-27 12:00"), to, T("2026-03-05 09:00"), Options)));

        foreach (var (hotFrom, hotTo) in new[] { (March, April), (T("2026-03-02 00:00"), T("2026-03-03 00:00")), (T("2026-03-01 12:00"), T("2026-03-02 09:10")) })
        {
            var matters = await host.Get<FactsProjection>().MattersReceivedAsync(hotFrom - (hotTo - hotFrom), hotTo);
            Assert.Equal(Json(Hotspots.Compute(matters, hotFrom, hotTo)), Json(await reports.HotspotsAsync(hotFrom, hotTo)));
        }
        var hotspots = await reports.HotspotsAsync(T("2026-03-02 00:00"), T("2026-03-03 00:00"));
        Assert.Equal((6, 1), (hotspots.ByCategory.Sum(c => c.Count), hotspots.ByCategory.Sum(c => c.Previous))); // the rejected one is no reflection
        Assert.Equal(2, Assert.Single(hotspots.Repeated).Count);

        var figures = await reports.OrganizersAsync(March, April, T("2026-03-05 09:00"), Options);
        var water = Assert.Single(figures.Organizers, o => o.Organizer == "water");
        Assert.Equal((5, 1, 1), (water.Received, water.Completed, water.Returned));
        Assert.Equal(4, water.Rates.Response.Of); // two signed, two whose deadline passed unsigned; the returned one was relieved
    }

    [Fact]
    public async Task Projecting_a_history_again_or_an_older_one_counts_nothing_twice()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var ids = await MixAsync(host);
        var tables = host.Get<HotlineTables>();
        var before = (await RowsAsync(tables.ReportCounters)).Concat(await RowsAsync(tables.HotspotCounters)).ToArray();
        var facts = host.Get<FactsProjection>();

        foreach (var id in ids)
        {
            var history = await host.Get<MatterStore>().EventsAsync(id);
            await facts.ProjectAsync(history);
            await facts.ProjectAsync(history);
            await facts.ProjectAsync(history, rewrite: true);
            await facts.ProjectAsync([.. history.Take(3)]);
        }

        Assert.Equal(before, (await RowsAsync(tables.ReportCounters)).Concat(await RowsAsync(tables.HotspotCounters)));
        var report = await host.Get<AssessmentReports>().OrganizersAsync(March, April, T("2026-03-05 09:00"), Options);
        Assert.Equal(7, report.All.Received); // six dispatches and the returned matter's second
        Assert.Equal(7, (await host.Get<AssessmentReports>().HotspotsAsync(March, April)).ByCategory.Sum(c => c.Count)); // eight matters, one not accepted
    }

    [Fact]
    public async Task Concurrent_projections_into_the_same_sum_row_lose_nothing()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var id = await SubmitAsync(host, "race-" + i);
            await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
            ids.Add(id);
        }
        var table = host.Get<HotlineTables>().ReportCounters;
        var before = await RowsAsync(table);
        await foreach (var row in table.QueryAsync<TableEntity>()) await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);

        // Every matter twice, eight at a time: twelve contributions into one unit's sum of one day, with replays.
        var histories = await Task.WhenAll(ids.Concat(ids).Select(id => host.Get<MatterStore>().EventsAsync(id)));
        var facts = host.Get<FactsProjection>();
        await Parallel.ForEachAsync(histories, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (history, ct) => await facts.ProjectAsync(history, cancellationToken: ct));

        Assert.Equal(before, await RowsAsync(table));
        var report = await host.Get<AssessmentReports>().OrganizersAsync(March, April, T("2026-03-05 09:00"), Options);
        Assert.Equal(12, Assert.Single(report.Organizers).Received);
    }

    [Fact]
    public async Task The_rebuild_gives_the_same_counters_and_repairs_a_damaged_sum()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        await MixAsync(host);
        var table = host.Get<HotlineTables>().ReportCounters;
        var hotspots = host.Get<HotlineTables>().HotspotCounters;
        var before = await RowsAsync(table);
        var hotspotsBefore = await RowsAsync(hotspots);

        await foreach (var row in table.QueryAsync<TableEntity>()) await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        await foreach (var row in hotspots.QueryAsync<TableEntity>()) await hotspots.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        await host.Get<ProjectionRebuilder>().RebuildAsync();
        Assert.Equal(before, await RowsAsync(table));
        Assert.Equal(hotspotsBefore, await RowsAsync(hotspots));

        // A sum that differences alone would carry on, a stray contribution, and a unit listed with no sum at all.
        var sum = (await table.GetEntityAsync<TableEntity>("2026-03-02", "s-water")).Value;
        sum["Json"] = "{\"received\":40}";
        await table.UpdateEntityAsync(sum, sum.ETag, TableUpdateMode.Replace);
        var stray = new TableEntity("2026-03-02", "c-STRAY-01") { ["Version"] = 3, ["Organizer"] = "water", ["JsonChunks"] = 1, ["Json"] = "{\"received\":1}" };
        await table.AddEntityAsync(stray);
        var counts = (await hotspots.GetEntityAsync<TableEntity>("2026-03-02", "counts")).Value;
        counts["Json"] = "{}";
        await hotspots.UpdateEntityAsync(counts, counts.ETag, TableUpdateMode.Replace);
        Assert.NotEqual(before, await RowsAsync(table));

        await host.Get<ProjectionRebuilder>().RebuildAsync();
        Assert.Equal(before, await RowsAsync(table));
        Assert.Equal(hotspotsBefore, await RowsAsync(hotspots));
    }

    [Fact]
    public async Task The_report_reads_a_row_per_unit_and_day_however_many_matters_there_are()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var counter = new RequestCount();
        var counted = new TableClientOptions();
        counted.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var counters = new ReportCounters(new TableClient(azurite.ConnectionString, host.Prefix + "ReportCounters", counted));
        DateOnly[] days = [new(2026, 3, 1), new(2026, 3, 2), new(2026, 3, 3)];

        async Task<int> ReadAsync(int matters)
        {
            while (matters-- > 0)
            {
                var id = await SubmitAsync(host, "count-" + Guid.NewGuid().ToString("N")[..8]);
                await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
            }
            counter.Reset();
            var result = await counters.OrganizersAsync(days);
            Assert.Equal(["water"], result.Keys);
            return counter.Value;
        }

        var few = await ReadAsync(2);
        var more = await ReadAsync(10);

        Assert.Equal(few, more);
        Assert.Equal(3 + 1, few); // each day's unit list, and the one unit's sum of the one day it received matters
        Assert.Equal(12, (await counters.OrganizersAsync(days))["water"].Received);
    }
}
