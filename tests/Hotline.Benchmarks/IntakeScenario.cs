using System.Diagnostics;
using System.Globalization;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.Benchmarks;

/// <summary>
/// Scenario 2: intake end to end through the store. The same closed-loop load as the floor calls
/// <see cref="IntakeService.SubmitAsync"/> on a runtime composed as the local host composes it: real clock, effects
/// in the background (RunEffectsInline = false) on the <see cref="RuntimeWorker"/>'s effect workers, and its alarm
/// pump polling, all competing with the load for the same Azurite.
/// </summary>
internal static class IntakeScenario
{
    private static readonly TimeSpan DrainPatience = TimeSpan.FromMinutes(10);

    public static async Task<IntakeReport> RunAsync(string connectionString, BenchSettings settings, CancellationToken cancellationToken)
    {
        var options = new RuntimeOptions { RunEffectsInline = false };
        await using var runtime = await BenchRuntime.StartAsync(connectionString, "intake" + BenchSettings.RunId(), TimeProvider.System, options);
        var intake = runtime.Get<IntakeService>();
        var backlog = runtime.Get<EffectBacklog>();
        var worker = runtime.Get<RuntimeWorker>();
        var runId = BenchSettings.RunId();
        var findEmpty = settings.SeedIndex > 0 ? await ProbeDuplicateSearchAsync(runtime, cancellationToken) : null;
        var seeded = await SeedIndexAsync(runtime, connectionString, settings.SeedIndex, cancellationToken);
        var findSeeded = settings.SeedIndex > 0 ? await ProbeDuplicateSearchAsync(runtime, cancellationToken) : null;

        var before = runtime.Requests.Snapshot();
        await worker.StartAsync(cancellationToken);
        long accepted = 0, sequence = 0;
        var peak = 0;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, backlog.Unfinished);
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);

        var loadStart = CpuSample.Take();
        var load = await LoadDriver.RunAsync("intake", settings.Concurrency, settings.Warmup, settings.Window, async ct =>
        {
            RequestCounter.MarkRequestPath();
            var n = Interlocked.Increment(ref sequence);
            var outcome = await intake.SubmitAsync(Intakes.CallCentre, Intakes.For(n, $"bench-{runId}-{n}", DateTimeOffset.UtcNow), ct);
            if (!outcome.Outcome.Accepted || !outcome.Created)
            {
                throw new InvalidOperationException($"Intake not accepted as new: {outcome.Outcome.Refusal?.ToString() ?? "an existing matter was returned"}");
            }
            Interlocked.Increment(ref accepted);
        }, cancellationToken);

        // The load has stopped (every operation answered); what is left is the effects of commits already answered.
        var backlogAtEnd = backlog.Unfinished;
        var duringLoad = RequestCounter.Difference(runtime.Requests.Snapshot(), before);
        var cpuAtEnd = CpuSample.Take();
        var drain = Stopwatch.StartNew();
        while (backlog.Unfinished > 0 && drain.Elapsed < DrainPatience)
        {
            await Task.Delay(10, cancellationToken);
        }
        drain.Stop();
        var drainEnd = CpuSample.Take();
        var drainCpu = drainEnd.Since(cpuAtEnd);
        var wholeCpu = drainEnd.Since(loadStart);
        await sampling.CancelAsync();
        await sampler;
        var drained = backlog.Unfinished == 0;
        await worker.StopAsync(CancellationToken.None);
        var requests = RequestCounter.Difference(runtime.Requests.Snapshot(), before);

        // Evidence that the effects really ran, not merely left the in-process queue.
        var tables = runtime.Get<HotlineTables>();
        var indexRows = await CountAsync(tables.MatterIndex, null, cancellationToken);
        var effectRows = await CountAsync(tables.Matters, TableClient.CreateQueryFilter($"RowKey ge {"effect-"} and RowKey lt {"effect."}"), cancellationToken);
        var sweepRows = await CountAsync(tables.Alarms, TableClient.CreateQueryFilter($"Kind eq {"sweep"}"), cancellationToken);
        var dispatchAlarms = await CountAsync(tables.Alarms, TableClient.CreateQueryFilter($"Kind eq {"dispatchDue"}"), cancellationToken);
        // Every execution of an SMS effect issues a new link before the outbox recognises a repeat: more links than
        // messages means SMS effects ran more than once (a sweep racing the effect workers).
        // Link rows only (partition = two hex digits of the hash), not the units' registers (partition "unit-...").
        var links = await CountAsync(tables.Links, TableClient.CreateQueryFilter($"PartitionKey lt {"unit-"}"), cancellationToken);
        var messages = await CountAsync(tables.SmsOutbox, null, cancellationToken);

        return new IntakeReport(load, Interlocked.Read(ref accepted), backlogAtEnd, peak, drain.Elapsed, drained, drainCpu, requests,
            indexRows - settings.SeedIndex, effectRows, sweepRows, dispatchAlarms, runtime.Warnings.Count, runtime.Warnings.First)
        {
            Seeded = seeded,
            DuplicateSearchEmpty = findEmpty,
            DuplicateSearchSeeded = findSeeded,
            WholeRun = wholeCpu,
            LinksIssued = links,
            SweepsDuringLoad = SweepClaims(duringLoad),
            SweepDelay = options.SweepDelay,
            SmsSent = messages,
        };
    }

    /// <summary>Times the duplicate search a new matter's effect runs, for intakes not yet in the index.</summary>
    private static async Task<Latencies> ProbeDuplicateSearchAsync(BenchRuntime runtime, CancellationToken cancellationToken)
    {
        var finder = runtime.Get<DuplicateFinder>();
        var samples = new List<double>();
        for (var i = 0; i < 22; i++)
        {
            var intake = Intakes.For(20_000_000 + i, "probe-" + i.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
            var t = Stopwatch.GetTimestamp();
            await finder.FindAsync(IntakeService.NewMatterId(intake.ReceivedAt), intake, cancellationToken);
            if (i >= 2) samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        return Latencies.Of(samples);
    }

    /// <summary>Projects earlier matters, received at instants spread over the past week, through the index's own projection, and writes their duplicate keys as their effect does.</summary>
    private static async Task<TimeSpan> SeedIndexAsync(BenchRuntime runtime, string connectionString, int count, CancellationToken cancellationToken)
    {
        if (count <= 0) return TimeSpan.Zero;
        var lifecycle = runtime.Get<MatterLifecycle>();
        var routing = runtime.Get<DirectoryStore>().Routing;
        var tables = new HotlineTables(new TableServiceClient(connectionString), runtime.Prefix);
        var index = new MatterIndex(tables.MatterIndex);
        var keys = new DuplicateIndex(tables.DuplicateKeys);
        var now = DateTimeOffset.UtcNow;
        var seeding = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var receivedAt = now - TimeSpan.FromDays(7) * ((i + 0.5) / count);
            var intake = Intakes.For(10_000_000 + i, "seed-" + i.ToString(CultureInfo.InvariantCulture), receivedAt);
            var (state, _, _) = StorageFloor.Submitted(lifecycle, routing, IntakeService.NewMatterId(receivedAt), intake, receivedAt);
            await index.ProjectAsync(state, ct);
            await keys.WriteAsync(state.Id, intake, ct);
        });
        return seeding.Elapsed;
    }

    public static long SweepClaims(IReadOnlyList<RequestKind> requests) =>
        // A claim merges a lease into the alarm's row; the SDK sends a merge as PATCH.
        requests.Where(r => r.Key.Contains(" PATCH ", StringComparison.Ordinal) && r.Key.EndsWith("Alarms row", StringComparison.Ordinal)).Sum(r => r.Count);

    private static async Task<long> CountAsync(TableClient table, string? filter, CancellationToken cancellationToken)
    {
        long n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], maxPerPage: 1000, cancellationToken: cancellationToken)) n++;
        return n;
    }
}

internal sealed record IntakeReport(
    LoadResult Load,
    long Accepted,
    int BacklogAtEnd,
    int BacklogPeak,
    TimeSpan Drain,
    bool Drained,
    CpuUse DrainCpu,
    IReadOnlyList<RequestKind> Requests,
    long IndexRows,
    long EffectRowsLeft,
    long SweepAlarmsLeft,
    long DispatchAlarms,
    long Warnings,
    IReadOnlyCollection<string> FirstWarnings)
{
    public TimeSpan Seeded { get; init; }

    /// <summary>DuplicateFinder.FindAsync alone, one call at a time, before and after seeding the index.</summary>
    public Latencies? DuplicateSearchEmpty { get; init; }

    public Latencies? DuplicateSearchSeeded { get; init; }

    public long LinksIssued { get; init; }

    /// <summary>Alarms the pump claimed while the load ran; in this scenario only sweeps fall due.</summary>
    public long SweepsDuringLoad { get; init; }

    public TimeSpan SweepDelay { get; init; }

    public long SweepsTotal => IntakeScenario.SweepClaims(Requests);

    public long SmsSent { get; init; }

    /// <summary>From the first request to the last effect: warm-up, measured window and drain.</summary>
    public CpuUse WholeRun { get; init; }

    /// <summary>Matters accepted per second when the time their effects took is counted too: what can be sustained.</summary>
    public double SustainedPerSecond => Accepted / WholeRun.Wall.TotalSeconds;

    public long RequestPathTotal => Requests.Where(r => r.Key.StartsWith("request", StringComparison.Ordinal)).Sum(r => r.Count);

    public long BackgroundTotal => Requests.Where(r => r.Key.StartsWith("background", StringComparison.Ordinal)).Sum(r => r.Count);

    public string PerMatter(long count) => (Accepted == 0 ? 0 : (double)count / Accepted).ToString("0.00", CultureInfo.InvariantCulture);
}
