using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.Benchmarks;

/// <summary>
/// Scenario 3: alarm delivery under a full index. Real matters (submitted and dispatched, stored as the store
/// stores them, their alarms in the index as the alarm effect puts them there) have sign-off reminders falling due
/// during the run, first spread out, then all at one instant; meanwhile the index holds many pending alarms weeks
/// ahead. The <see cref="RuntimeWorker"/> runs the pump and the effect workers as the local host does. The delay of
/// a delivery is the AlarmFired event's instant (when the lifecycle decided) and the state row's commit time,
/// each minus the alarm's own instant.
/// </summary>
/// <remarks>
/// Deadlines are working time: a sign-off reminder falls 1.5 working hours after dispatch, so reminders due "in 20
/// seconds" need a dispatch in the past of a working afternoon. The runtime therefore runs on an
/// <see cref="AdjustableClock"/> set to a working afternoon and then running at the real clock's pace; every delay
/// measured is a real-time delay.
/// </remarks>
internal static class AlarmScenario
{
    private static readonly DateTimeOffset DispatchBase = new(2026, 3, 3, 14, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan BurstGap = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Straggle = TimeSpan.FromSeconds(75); // beyond the 60 s lease, so a failed delivery's retry is seen

    private static readonly string[] BulkKinds = ["handlingDue", "contactDue", "extensionCutoff", "returnWindowEnd", "signOffOverdue", "evaluationWindowEnd", "dispatchDue"];

    private sealed record Plan(string Id, string Group, DateTimeOffset DispatchAt, DateTimeOffset Due, Matter State, IReadOnlyList<MatterEvent> Events);

    public static async Task<AlarmReport> RunAsync(string connectionString, BenchSettings settings, CancellationToken cancellationToken)
    {
        var frame = new AdjustableClock(TimeProvider.System);
        var options = new RuntimeOptions { RunEffectsInline = false };
        await using var runtime = await BenchRuntime.StartAsync(connectionString, "alarm" + BenchSettings.RunId(), frame, options);
        var lifecycle = runtime.Get<MatterLifecycle>();
        var index = runtime.Get<AlarmIndex>();
        var store = runtime.Get<MatterStore>();
        // Set-up, probes and checks go through uncounted clients, so the request counts are the runtime's own.
        var uncounted = new HotlineTables(new TableServiceClient(connectionString), runtime.Prefix);

        if (!lifecycle.Calendar.IsWorkingDay(DateOnly.FromDateTime(DispatchBase.DateTime)))
        {
            throw new InvalidOperationException($"{DispatchBase:yyyy-MM-dd} is no longer a working day in the calendar data; pick another DispatchBase.");
        }
        var plans = PlanMatters(lifecycle, settings);
        var start = plans[0].Due - settings.SpreadLead; // the frame's instant when the pump starts
        var lastDue = plans.Max(p => p.Due);
        var bulkFrom = start + TimeSpan.FromMinutes(5);
        await CheckBulkLayoutAsync(index, uncounted.Alarms, start + TimeSpan.FromDays(9), cancellationToken);

        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            await store.CommitAsync(null, p.State, p.Events, [], p.DispatchAt, ct);
            foreach (var alarm in MatterAlarms.Of(p.State)) await index.ScheduleAsync(ScheduledAlarm.For(p.Id, alarm), ct);
        });
        var matterAlarms = plans.Sum(p => MatterAlarms.Of(p.State).Count);

        var pollBefore = await ProbePollAsync(uncounted.Alarms, start, cancellationToken);
        var preload = Stopwatch.StartNew();
        var bulkPartitions = await PreloadAsync(uncounted.Alarms, settings.PendingAlarms, bulkFrom, start + TimeSpan.FromDays(28), cancellationToken);
        preload.Stop();
        var bulkCounted = await CountBulkAsync(uncounted.Alarms, cancellationToken);
        if (bulkCounted != settings.PendingAlarms) throw new InvalidOperationException($"Pre-loaded {settings.PendingAlarms} alarms but the index holds {bulkCounted}.");
        var pollAfter = await ProbePollAsync(uncounted.Alarms, start, cancellationToken);

        // From here on the runtime's clock reads `start` and runs on in real time.
        frame.Set(start);
        var requestsBefore = runtime.Requests.Snapshot();
        var cpuStart = CpuSample.Take();
        var worker = runtime.Get<RuntimeWorker>();
        await worker.StartAsync(cancellationToken);
        // Each second's CPU split, to tell a late delivery caused by the runtime from one caused by the machine.
        var seconds = new ConcurrentQueue<(DateTimeOffset At, CpuUse Cpu)>();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            var last = CpuSample.Take();
            while (!sampling.IsCancellationRequested)
            {
                try { await Task.Delay(1000, sampling.Token); } catch (OperationCanceledException) { break; }
                var now = CpuSample.Take();
                seconds.Enqueue((frame.GetUtcNow(), now.Since(last)));
                last = now;
            }
        }, CancellationToken.None);

        var untilLast = lastDue + TimeSpan.FromSeconds(3) - frame.GetUtcNow();
        if (untilLast > TimeSpan.Zero) await Task.Delay(untilLast, cancellationToken);
        var checker = new MatterStore(uncounted.Matters);
        var fired = new ConcurrentDictionary<string, AlarmFired>(StringComparer.Ordinal);
        var wrongKinds = new ConcurrentBag<string>();
        var giveUp = Stopwatch.StartNew();
        while (true)
        {
            await Parallel.ForEachAsync(plans.Where(p => !fired.ContainsKey(p.Id)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (p, ct) =>
                {
                    foreach (var e in (await checker.EventsAsync(p.Id, ct)).OfType<AlarmFired>())
                    {
                        if (e.Alarm.Kind == AlarmKind.SignOffReminder && e.Alarm.At == p.Due) fired[p.Id] = e;
                        else wrongKinds.Add($"{p.Id}: {e.Alarm.Kind} at {e.Alarm.At:O}");
                    }
                });
            if (fired.Count == plans.Count || giveUp.Elapsed > Straggle) break;
            await Task.Delay(1000, cancellationToken);
        }
        var window = CpuSample.Take().Since(cpuStart);
        await sampling.CancelAsync();
        await sampler;
        var requests = RequestCounter.Difference(runtime.Requests.Snapshot(), requestsBefore);
        var offset = frame.GetUtcNow() - TimeProvider.System.GetUtcNow();
        await worker.StopAsync(CancellationToken.None);

        var committed = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(plans.Where(p => fired.ContainsKey(p.Id)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (p, ct) =>
            {
                var row = await uncounted.Matters.GetEntityAsync<TableEntity>(p.Id, "state", cancellationToken: ct);
                if (row.Value.Timestamp is { } at) committed[p.Id] = (at + offset - p.Due).TotalMilliseconds;
            });

        var bulkLeft = await CountBulkAsync(uncounted.Alarms, cancellationToken);
        var claimProbe = await ProbeClaimAsync(connectionString, options.AlarmLease, cancellationToken);
        Latencies Decided(string group) => Latencies.Of(plans.Where(p => p.Group == group && fired.ContainsKey(p.Id)).Select(p => (fired[p.Id].At - p.Due).TotalMilliseconds).ToArray());
        Latencies Committed(string group) => Latencies.Of(plans.Where(p => p.Group == group && committed.ContainsKey(p.Id)).Select(p => committed[p.Id]).ToArray());
        // The spread in six slices of due time: the delays of the alarms due in each, and how busy the machine was
        // from the first of them falling due until the last of them was committed.
        var spread = plans.Where(p => p.Group == "spread" && committed.ContainsKey(p.Id)).ToArray();
        var slices = spread.Length == 0 ? [] : Enumerable.Range(0, 6).Select(i =>
        {
            var from = plans[0].Due + settings.SpreadLength * i / 6;
            var to = plans[0].Due + settings.SpreadLength * (i + 1) / 6;
            var inSlice = spread.Where(p => p.Due >= from && (p.Due < to || i == 5)).ToArray();
            var delays = Latencies.Of(inSlice.Select(p => committed[p.Id]).ToArray());
            var until = to + TimeSpan.FromMilliseconds(double.IsNaN(delays.Max) ? 0 : delays.Max);
            var busy = seconds.Where(x => x.At > from && x.At <= until + TimeSpan.FromSeconds(1)).Select(x => x.Cpu.OtherCores).DefaultIfEmpty(double.NaN).Average();
            return new AlarmSlice(from - start, to - start, delays, busy);
        }).ToArray();
        return new AlarmReport(
            settings.PendingAlarms, bulkPartitions, preload.Elapsed, matterAlarms, pollBefore, pollAfter,
            plans.Count(p => p.Group == "spread"), Decided("spread"), Committed("spread"),
            plans.Count(p => p.Group == "burst"), Decided("burst"), Committed("burst"),
            plans.Count - fired.Count, plans.Count(p => fired.TryGetValue(p.Id, out var f) && f.At < p.Due),
            settings.PendingAlarms - bulkLeft, runtime.Requests.BulkMatterReads, wrongKinds.ToArray(),
            requests, window, runtime.Warnings.Count, runtime.Warnings.First)
        {
            ClaimProbe = claimProbe,
            SpreadSlices = slices,
        };
    }

    /// <summary>
    /// How long claiming 100 due alarms takes: through <see cref="AlarmIndex.ClaimDueAsync"/> (one conditional
    /// update after another), and with the same query and updates issued concurrently. This bounds how fast a
    /// burst of alarms due at one instant can start being delivered.
    /// </summary>
    private static async Task<ClaimProbe> ProbeClaimAsync(string connectionString, TimeSpan lease, CancellationToken cancellationToken)
    {
        var service = new TableServiceClient(connectionString);
        var now = DateTimeOffset.UtcNow;
        var sequential = new List<double>();
        var concurrent = new List<double>();
        const int Rounds = 16;
        for (var round = 0; round < Rounds; round++)
        {
            var table = service.GetTableClient("probe" + BenchSettings.RunId() + "Alarms");
            await table.CreateIfNotExistsAsync(cancellationToken);
            var due = now - TimeSpan.FromMinutes(30);
            var rows = Enumerable.Range(0, 100).Select(i => BulkRow(new ScheduledAlarm("probe-" + i.ToString("D3", CultureInfo.InvariantCulture), "handlingDue", due.AddTicks(i)))).ToList();
            await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
            var t = Stopwatch.GetTimestamp();
            if (round % 2 == 0)
            {
                var claimed = await new AlarmIndex(table).ClaimDueAsync(now, lease, 100, cancellationToken);
                if (claimed.Count != 100) throw new InvalidOperationException($"ClaimDueAsync claimed {claimed.Count} of 100 due alarms.");
                sequential.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            else
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey le {Partition(now)} and At le {now} and LeaseUntil le {now}");
                var page = await table.QueryPageAsync(filter, top: 100, cancellationToken: cancellationToken);
                await Task.WhenAll(page.Entities.Select(row =>
                    table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["LeaseUntil"] = now + lease }, row.ETag, TableUpdateMode.Merge, cancellationToken)));
                concurrent.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }
        return new ClaimProbe(Rounds / 2, Latencies.Of(sequential).P50, Latencies.Of(concurrent).P50);
    }

    /// <summary>
    /// Matters dispatched at instants spaced so that their sign-off reminders fall due evenly over the spread, then a
    /// group dispatched at one instant, whose reminders fall due together.
    /// </summary>
    private static List<Plan> PlanMatters(MatterLifecycle lifecycle, BenchSettings settings)
    {
        var plans = new List<Plan>();
        void Add(string group, DateTimeOffset dispatchAt)
        {
            var id = IntakeService.NewMatterId(dispatchAt);
            var submittedAt = dispatchAt - TimeSpan.FromMinutes(10);
            var (submitted, submittedState) = lifecycle.Apply(null, new SubmitMatter(Intakes.CallCentre, id, Intakes.For(plans.Count, "alarm-" + id, submittedAt)), submittedAt);
            var (dispatched, state) = lifecycle.Apply(submittedState, new DispatchMatter(Intakes.Dispatcher, Intakes.Organizer, []), dispatchAt);
            if (state is null) throw new InvalidOperationException($"Dispatch refused: {dispatched.Refusal ?? submitted.Refusal}");
            plans.Add(new Plan(id, group, dispatchAt, state.Deadlines.SignOffReminderAt!.Value, state, [.. submitted.Events, .. dispatched.Events]));
        }
        for (var i = 0; i < settings.SpreadMatters; i++) Add("spread", DispatchBase + settings.SpreadLength * i / settings.SpreadMatters);
        for (var i = 0; i < settings.BurstMatters; i++) Add("burst", DispatchBase + settings.SpreadLength + BurstGap);

        // Working-time arithmetic is linear only inside a working session; the spacing of the instants is the point.
        var first = plans[0];
        var bent = plans.FirstOrDefault(p => p.Due - first.Due != p.DispatchAt - first.DispatchAt);
        if (bent is not null) throw new InvalidOperationException($"Reminder of a matter dispatched at {bent.DispatchAt:O} falls at {bent.Due:O}: not in one working session.");
        return plans;
    }

    /// <summary>Fills the index with future alarms of matters that do not exist, a hundred rows per transaction per hour partition.</summary>
    private static async Task<int> PreloadAsync(TableClient alarms, int count, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // A fixed seed: the same instants every run. Not security relevant.
#pragma warning disable CA5394
        var random = new Random(12345);
        // One in a hundred lands in the hour partition that is current when the pump starts, later than any due
        // alarm: the rows a poll must read and pass over, not merely rows in partitions it never reaches.
        var endOfHour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour + 1), TimeSpan.Zero);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var (lo, hi) = i % 100 == 0 && endOfHour > from ? (from, endOfHour) : (from, to);
            var at = lo + (hi - lo) * random.NextDouble();
            return BulkRow(new ScheduledAlarm("bulk-" + i.ToString("D7", CultureInfo.InvariantCulture), BulkKinds[i % BulkKinds.Length], at));
        }).ToList();
#pragma warning restore CA5394
        var batches = rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(100)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
            await alarms.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct));
        return rows.Select(r => r.PartitionKey).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>An index row as <see cref="AlarmIndex.ScheduleAsync"/> writes it (checked by <see cref="CheckBulkLayoutAsync"/>).</summary>
    private static TableEntity BulkRow(ScheduledAlarm a) =>
        new(Partition(a.At), a.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + a.MatterId + "-" + a.Kind)
        {
            ["MatterId"] = a.MatterId,
            ["Kind"] = a.Kind,
            ["At"] = a.At,
            ["LeaseUntil"] = DateTimeOffset.UnixEpoch,
        };

    private static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>Fails the run if the pre-loaded rows would not be the rows the index itself writes.</summary>
    private static async Task CheckBulkLayoutAsync(AlarmIndex index, TableClient alarms, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var alarm = new ScheduledAlarm("bulk-check", "handlingDue", at.AddTicks(1234567));
        await index.ScheduleAsync(alarm, cancellationToken);
        var written = new List<string>();
        await foreach (var row in alarms.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"MatterId eq {"bulk-check"}"), cancellationToken: cancellationToken)) written.Add(Describe(row));
        await index.CancelAsync(alarm, cancellationToken);
        var mine = Describe(BulkRow(alarm));
        if (written is not [var theirs] || theirs != mine)
        {
            throw new InvalidOperationException($"Pre-loaded alarm rows would differ from AlarmIndex's:\n  index: {string.Join(" | ", written)}\n  bulk:  {mine}");
        }

        static string Describe(TableEntity e) => e.PartitionKey + "/" + e.RowKey + " " + string.Join(",", e.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + (p.Value is DateTimeOffset t ? t.UtcTicks.ToString(CultureInfo.InvariantCulture) : Convert.ToString(p.Value, CultureInfo.InvariantCulture))));
    }

    /// <summary>Times the pump's poll query (AlarmIndex.ClaimDueAsync's filter and page size) at an instant when nothing is due.</summary>
    private static async Task<Latencies> ProbePollAsync(TableClient alarms, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {Partition(now)} and At le {now} and LeaseUntil le {now}");
        var samples = new List<double>();
        for (var i = 0; i < 22; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await alarms.QueryPageAsync(filter, top: 100, cancellationToken: cancellationToken);
            if (i >= 2) samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        return Latencies.Of(samples);
    }

    private static async Task<long> CountBulkAsync(TableClient alarms, CancellationToken cancellationToken)
    {
        long n = 0;
        await foreach (var _ in alarms.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"MatterId ge {"bulk-"} and MatterId lt {"bulk."}"), select: ["MatterId"], maxPerPage: 1000,
                           cancellationToken: cancellationToken)) n++;
        return n;
    }
}

internal sealed record AlarmReport(
    int Pending,
    int PendingPartitions,
    TimeSpan Preload,
    int MatterAlarms,
    Latencies PollBeforePreload,
    Latencies PollAfterPreload,
    int SpreadCount,
    Latencies SpreadDecided,
    Latencies SpreadCommitted,
    int BurstCount,
    Latencies BurstDecided,
    Latencies BurstCommitted,
    int Undelivered,
    int Early,
    long BulkDelivered,
    long BulkMatterReads,
    IReadOnlyCollection<string> WrongAlarms,
    IReadOnlyList<RequestKind> Requests,
    CpuUse Cpu,
    long Warnings,
    IReadOnlyCollection<string> FirstWarnings)
{
    public required ClaimProbe ClaimProbe { get; init; }

    public required IReadOnlyList<AlarmSlice> SpreadSlices { get; init; }
}

/// <summary>Spread alarms due between two instants (seconds after the pump started), and the other processes' CPU meanwhile.</summary>
internal sealed record AlarmSlice(TimeSpan From, TimeSpan To, Latencies Delays, double OtherCores);

/// <summary>Median milliseconds to claim 100 due alarms: as the index does it, and concurrently.</summary>
internal sealed record ClaimProbe(int Rounds, double Sequential, double Concurrent);
