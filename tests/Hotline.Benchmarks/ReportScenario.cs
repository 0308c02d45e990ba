using System.Diagnostics;
using Azure.Data.Tables;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime;
using Hotline.Runtime.Reports;
using Hotline.Runtime.Store;
using Hotline.Testing;

namespace Hotline.Benchmarks;

/// <param name="Matters">Matters seeded, all received in one month.</param>
/// <param name="Assignments">Their assignments (a returned matter has two).</param>
/// <param name="SeedFacts">Writing the facts table's rows (transactions of up to 100 rows per month partition).</param>
/// <param name="SeedCounters">Counting them into the report counters (ReportCounters.ProjectManyAsync).</param>
/// <param name="Organizers">OrganizersAsync for the month, ms per call.</param>
/// <param name="OrganizerRequests">Storage requests of one such call.</param>
/// <param name="FromFacts">The same report computed from the facts rows, as before the counters, ms per call.</param>
/// <param name="Hotspots">HotspotsAsync for the month, ms per call.</param>
/// <param name="Same">Both reports from the counters equal the ones from the facts rows.</param>
internal sealed record ReportReport(int Matters, int Assignments, int Units, TimeSpan SeedFacts, TimeSpan SeedCounters, int CounterRows,
    LatencySummary Organizers, long OrganizerRequests, LatencySummary FromFacts, LatencySummary Hotspots, long HotspotRequests, bool Same)
{
    /// <summary>The hotspot counters' count and place rows.</summary>
    public int HotspotRows { get; init; }

    /// <summary>The same hotspot report from the facts rows of both months, as before the counters.</summary>
    public required LatencySummary HotspotsFromFacts { get; init; }
}

internal sealed record LatencySummary(double P50, double Max, int Calls)
{
    public static LatencySummary Of(IReadOnlyList<double> ms)
    {
        var sorted = ms.Order().ToArray();
        return new LatencySummary(Statistics.Median(sorted), sorted[^1], sorted.Length);
    }

    public override string ToString() => FormattableString.Invariant($"p50 {P50:0} ms, max {Max:0} ms over {Calls} calls");
}

/// <summary>
/// Scenario 4: report query time with a month of matters in the projections. The matters' facts are made up (no
/// events: the lifecycle is not what is measured) in the mix a month leaves behind: most completed and evaluated,
/// some late, some still open, some returned to a second unit, some with co-organizers' parts. They are written to
/// the facts table and counted into the report counters through the projection's own code, then the organizer report
/// and the hotspot report of the month are timed as the API calls them.
/// </summary>
internal static class ReportScenario
{
    private static readonly DateTimeOffset Month = new(2026, 3, 1, 0, 0, 0, ChinaTime.Offset);
    private static readonly DateTimeOffset NextMonth = new(2026, 4, 1, 0, 0, 0, ChinaTime.Offset);

    private static readonly string[] Categories =
        ["water-pressure", "water-quality", "power-outage", "gas-smell", "road-damage", "street-light", "noise", "garbage", "parking", "housing", "traffic", "greenery"];

    private static readonly string[] Districts = ["越秀", "海珠", "荔湾", "天河", "白云", "黄埔", "番禺", "花都", "南沙", "从化", "增城"];

    public static async Task<ReportReport> RunAsync(string connectionString, BenchSettings settings, CancellationToken cancellationToken)
    {
        var clock = AdjustableClock.Frozen(NextMonth.AddDays(5));
        await using var runtime = await BenchRuntime.StartAsync(connectionString, "report" + BenchSettings.RunId(), clock, new RuntimeOptions { RunEffectsInline = true });
        var units = BenchRuntime.HostDirectory.Value.All.Select(u => u.Id).ToArray();
        var facts = Generate(settings.ReportMatters, units);
        var assignments = facts.Sum(f => f.Assignments.Count);
        Console.WriteLine(FormattableString.Invariant($"   seeding {facts.Count:N0} matters ({assignments:N0} assignments, {units.Length} units) received in March 2026 ..."));

        var tables = runtime.Get<HotlineTables>();
        var seedFacts = Stopwatch.StartNew();
        var batches = facts.SelectMany(FactsProjection.RowsOf).GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(100)).ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (rows, ct) =>
            await tables.Facts.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct));
        seedFacts.Stop();
        Console.WriteLine(FormattableString.Invariant($"   facts rows written in {seedFacts.Elapsed.TotalSeconds:0.0} s"));

        var counters = runtime.Get<ReportCounters>();
        var seedCounters = Stopwatch.StartNew();
        await counters.ProjectManyAsync(facts, cancellationToken: cancellationToken);
        await runtime.Get<HotspotCounters>().ProjectManyAsync(facts, cancellationToken: cancellationToken);
        seedCounters.Stop();
        Console.WriteLine(FormattableString.Invariant($"   counters written in {seedCounters.Elapsed.TotalSeconds:0.0} s"));
        var counterRows = 0;
        await foreach (var _ in tables.ReportCounters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey lt {"c-"} or RowKey ge {"c."}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            counterRows++;
        }
        var hotspotRows = 0;
        await foreach (var _ in tables.HotspotCounters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey lt {"m-"} or RowKey ge {"m."}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            hotspotRows++;
        }

        var reports = runtime.Get<AssessmentReports>();
        var asOf = clock.GetUtcNow();
        var options = new AssessmentOptions();
        var calendar = runtime.Get<Hotline.Runtime.Calendars.CalendarStore>().Current.Lifecycle.Calendar;
        var organizerMs = new List<double>();
        long organizerRequests = 0;
        OrganizerAssessmentResult? fromCounters = null;
        for (var i = 0; i < 7; i++)
        {
            var before = Total(runtime.Requests.Snapshot());
            var t = Stopwatch.GetTimestamp();
            fromCounters = await reports.OrganizersAsync(Month, NextMonth, asOf, options, cancellationToken);
            organizerMs.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            organizerRequests = Total(runtime.Requests.Snapshot()) - before;
        }

        var fromFactsMs = new List<double>();
        OrganizerAssessmentResult? fromFacts = null;
        for (var i = 0; i < 2; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var rows = await runtime.Get<FactsProjection>().AssignmentsReceivedAsync(Month, NextMonth, cancellationToken);
            fromFacts = OrganizerAssessment.Compute(rows, Month, NextMonth, asOf, calendar, options);
            fromFactsMs.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var same = System.Text.Json.JsonSerializer.Serialize(fromCounters, HotlineJson.Options) == System.Text.Json.JsonSerializer.Serialize(fromFacts, HotlineJson.Options);

        var hotspotMs = new List<double>();
        long hotspotRequests = 0;
        HotspotReport? hotspots = null;
        for (var i = 0; i < 5; i++)
        {
            var before = Total(runtime.Requests.Snapshot());
            var t = Stopwatch.GetTimestamp();
            hotspots = await reports.HotspotsAsync(Month, NextMonth, cancellationToken);
            hotspotMs.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            hotspotRequests = Total(runtime.Requests.Snapshot()) - before;
        }
        var hotspotsFromFacts = Stopwatch.GetTimestamp();
        var matterRows = await runtime.Get<FactsProjection>().MattersReceivedAsync(Month - (NextMonth - Month), NextMonth, cancellationToken);
        var expectedHotspots = Hotspots.Compute(matterRows, Month, NextMonth, runtime.Get<RuntimeOptions>().DuplicateRadiusMeters);
        var hotspotFactsMs = Stopwatch.GetElapsedTime(hotspotsFromFacts).TotalMilliseconds;
        same &= System.Text.Json.JsonSerializer.Serialize(hotspots, HotlineJson.Options) == System.Text.Json.JsonSerializer.Serialize(expectedHotspots, HotlineJson.Options);

        return new ReportReport(facts.Count, assignments, units.Length, seedFacts.Elapsed, seedCounters.Elapsed, counterRows,
            LatencySummary.Of(organizerMs), organizerRequests, LatencySummary.Of(fromFactsMs), LatencySummary.Of(hotspotMs), hotspotRequests, same)
        {
            HotspotRows = hotspotRows,
            HotspotsFromFacts = LatencySummary.Of([hotspotFactsMs]),
        };
    }

    private static long Total(IReadOnlyDictionary<string, (long Count, TimeSpan Time)> counts) => counts.Values.Sum(c => c.Count);

    /// <summary>A month of matters' facts, the same every run (a fixed seed).</summary>
    private static List<MatterFacts> Generate(int count, string[] units)
    {
        // A fixed seed for a repeatable mix; not security relevant.
#pragma warning disable CA5394
        var random = new Random(13);
        var month = NextMonth - Month;
        var result = new List<MatterFacts>(count);
        for (var i = 0; i < count; i++)
        {
            var id = FormattableString.Invariant($"bench-{i:D7}");
            var received = Month + month * ((i + random.NextDouble()) / count);
            var category = Categories[random.Next(Categories.Length)];
            var district = Districts[random.Next(Districts.Length)];
            var type = (MatterType)random.Next(5);
            var roll = random.NextDouble();
            var list = new List<AssignmentFacts>();
            if (roll >= 0.03) // the rest were not accepted
            {
                var first = Assignment(random, id, 1, units[random.Next(units.Length)], type, category, district, received.AddMinutes(10 + random.Next(50)), roll,
                    units[random.Next(units.Length)]);
                list.Add(first);
                if (first.Return == ReturnOutcome.Approved)
                {
                    var second = units[(Array.IndexOf(units, first.Organizer) + 1 + random.Next(units.Length - 1)) % units.Length];
                    list.Add(Assignment(random, id, 2, second, type, category, district, first.ReturnAppliedAt!.Value.AddMinutes(30), random.NextDouble() * 0.9,
                        first.Organizer));
                }
            }
            result.Add(new MatterFacts
            {
                MatterId = id,
                Version = 4 + list.Count * 5,
                ReceivedAt = received,
                Type = type,
                Category = category,
                District = district,
                AddressKey = FormattableString.Invariant($"{district}路{random.Next(3000)}号"),
                Lat = 23.0 + random.NextDouble() * 0.4,
                Lon = 113.1 + random.NextDouble() * 0.5,
                Rejected = roll < 0.03,
                Assignments = list,
            });
        }
        return result;
#pragma warning restore CA5394
    }

    /// <summary>One assignment in a state chosen by <paramref name="roll"/>: mostly done on time, some late, some still open or returned.</summary>
    private static AssignmentFacts Assignment(Random random, string id, int number, string organizer, MatterType type, string category, string district,
        DateTimeOffset dispatched, double roll, string coOrganizer)
    {
#pragma warning disable CA5394
        var a = new AssignmentFacts
        {
            MatterId = id,
            Number = number,
            Organizer = organizer,
            Type = type,
            Category = category,
            District = district,
            ReceivedAt = dispatched,
            SignBy = dispatched.AddHours(2),
            ContactBy = type == MatterType.Help ? dispatched.AddDays(1) : null,
            DueBy = dispatched.AddDays(5),
        };
        if (roll > 0.97) return a; // still unsigned: due to sign once its deadline passes
        if (roll > 0.94)
        {
            var applied = dispatched.AddMinutes(30 + random.Next(60));
            return a with { ReturnsApplied = 1, ReturnAppliedAt = applied, Return = ReturnOutcome.Approved };
        }
        var late = roll > 0.88;
        var signed = dispatched.AddMinutes(late ? 150 + random.Next(600) : 5 + random.Next(100));
        a = a with { SignedAt = signed, ContactedAt = a.ContactBy is null ? null : signed.AddHours(random.Next(30)) };
        if (roll > 0.85) return a; // signed, being handled
        var replied = signed.AddHours(late ? 130 + random.Next(40) : 2 + random.Next(100));
        a = a with
        {
            RepliedAt = replied,
            CompletedAt = replied.AddHours(1),
            ReplyKind = random.Next(20) == 0 ? ReplyKind.ExplainedNotSolvable : ReplyKind.Solved,
            ExtensionsGranted = random.Next(25) == 0 ? 1 : 0,
            Evaluation = random.Next(10) < 6 ? (EvaluationResult)random.Next(Enum.GetValues<EvaluationResult>().Length) : null,
            Supervised = random.Next(50) == 0,
        };
        if (random.Next(12) == 0)
        {
            var partBy = dispatched.AddDays(2);
            a = a with { Parts = [new PartFacts(coOrganizer, partBy, random.Next(3) == 0 ? null : partBy.AddHours(random.Next(-30, 10)))] };
        }
        return a;
#pragma warning restore CA5394
    }
}
