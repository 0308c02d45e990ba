using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Store;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime.Reports;

public sealed record RebuildResult(int Matters, int Events, int IndexRows, int FactRows, int StaleFactRowsRemoved, double Seconds, int OrphanQueueRowsRemoved = 0);

/// <summary>
/// Rebuilds the projections (the staff index, the duplicate keys, the workbench queues, the facts table and the report counters) from the events, the one source of truth: every
/// matter's history is replayed and its rows written again, whatever they held. Safe while the system runs: a row the
/// write path has meanwhile moved to a newer version is left alone, and facts rows that no history produces any more
/// are removed only if nobody changed them since the rebuild began.
/// </summary>
public sealed partial class ProjectionRebuilder(HotlineTables tables, MatterIndex index, StaffQueues queues, FactsProjection facts, ILogger<ProjectionRebuilder> log,
    DuplicateIndex duplicates)
{
    private const int Parallelism = 8;

    public async Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var before = await facts.KeysAsync(cancellationToken).ConfigureAwait(false);
        var written = new ConcurrentDictionary<FactsRowKey, bool>();
        var countersBefore = facts.Counters is { } c ? await c.ContributionsAsync(cancellationToken).ConfigureAwait(false) : [];
        var countersWritten = new ConcurrentDictionary<FactsRowKey, bool>();
        var hotspotsBefore = facts.Hotspots is { } h ? await h.ContributionsAsync(cancellationToken).ConfigureAwait(false) : [];
        int matters = 0, events = 0;
        await Parallel.ForEachAsync(HistoriesAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (history, ct) =>
            {
                var state = Matter.Replay(history);
                // Every matter's keys: its duplicates effect wrote them once, but the table may have been emptied or
                // created after the matter.
                await duplicates.WriteAsync(state.Id, state.Intake, ct).ConfigureAwait(false);
                await RewriteIndexAsync(state, ct).ConfigureAwait(false);
                await queues.ProjectAsync(state, rewrite: true, ct).ConfigureAwait(false);
                foreach (var key in await facts.ProjectAsync(history, rewrite: true, ct).ConfigureAwait(false)) written[key] = true;
                if (facts.Counters is not null || facts.Hotspots is not null)
                {
                    var matter = MatterFacts.From(history);
                    foreach (var key in ReportCounters.KeysOf(matter)) countersWritten[key] = true;
                    countersWritten[HotspotCounters.KeyOf(matter)] = true;
                }
                Interlocked.Increment(ref matters);
                Interlocked.Add(ref events, history.Count);
            }).ConfigureAwait(false);

        var removed = 0;
        foreach (var (key, etag) in before.Where(k => !written.ContainsKey(k.Key)))
        {
            try
            {
                await facts.Table.DeleteEntityAsync(key.PartitionKey, key.RowKey, etag, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Written or removed by someone else since the listing: not stale.
            }
        }

        // Contributions no history makes any more come out of their sums too; RemoveAsync leaves one that moved on since the listing.
        foreach (var (key, version) in countersBefore.Where(k => !countersWritten.ContainsKey(k.Key)))
        {
            await facts.Counters!.RemoveAsync(key, version, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (key, version) in hotspotsBefore.Where(k => !countersWritten.ContainsKey(k.Key)))
        {
            await facts.Hotspots!.RemoveAsync(key, version, cancellationToken).ConfigureAwait(false);
        }
        // Then every day's sums from its contributions, which repairs a sum that differences alone would carry on.
        if (facts.Counters is { } counters)
        {
            foreach (var partition in await counters.PartitionsAsync(cancellationToken).ConfigureAwait(false))
            {
                await counters.RecountAsync(partition, cancellationToken).ConfigureAwait(false);
            }
        }
        if (facts.Hotspots is { } hotspots)
        {
            foreach (var partition in await hotspots.PartitionsAsync(cancellationToken).ConfigureAwait(false))
            {
                await hotspots.RecountAsync(partition, cancellationToken).ConfigureAwait(false);
            }
        }

        var orphans = await queues.RemoveOrphansAsync(cancellationToken).ConfigureAwait(false);
        var result = new RebuildResult(matters, events, matters, written.Count, removed, Math.Round(stopwatch.Elapsed.TotalSeconds, 3), orphans);
        LogRebuilt(log, result.Matters, result.Events, result.FactRows, result.StaleFactRowsRemoved, result.Seconds);
        return result;
    }

    /// <summary>
    /// Every matter's events, one matter at a time, from a single scan of the event rows: the table returns them in
    /// key order, partition by partition, and the event row keys sort by version.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<MatterEvent>> HistoriesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? matterId = null;
        List<MatterEvent>? history = null;
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"event-"} and RowKey lt {"event."}");
        await foreach (var row in tables.Matters.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.PartitionKey != matterId)
            {
                if (history is not null) yield return history;
                matterId = row.PartitionKey;
                history = [];
            }
            history!.Add(JsonSerializer.Deserialize<MatterEvent>(JsonColumns.Read(row, "Json"), HotlineJson.Options)
                ?? throw new InvalidOperationException($"Matter {row.PartitionKey} has an empty event row {row.RowKey}."));
        }
        if (history is not null) yield return history;
    }

    /// <summary>
    /// The index only ever moves forward, so a row at the same version would not be rewritten: it is removed first
    /// (under its ETag, so a newer row the write path put there meanwhile survives) and projected again.
    /// </summary>
    private async Task RewriteIndexAsync(Matter state, CancellationToken cancellationToken)
    {
        // The index's partition: the CST month the matter was received (MatterIndex keeps its rows there).
        var partition = ChinaTime.ToChina(state.Intake.ReceivedAt).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await tables.MatterIndex.GetEntityIfExistsAsync<TableEntity>(partition, state.Id, ["Version"], cancellationToken).ConfigureAwait(false);
            if (existing.HasValue)
            {
                if ((existing.Value!.GetInt32("Version") ?? 0) > state.Version) return;
                try
                {
                    await tables.MatterIndex.DeleteEntityAsync(partition, state.Id, existing.Value.ETag, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    continue;
                }
            }
            await index.ProjectAsync(state, rebuild: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        throw new InvalidOperationException($"Could not rewrite the index row of matter {state.Id}: it kept changing.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Projections rebuilt from the events of {Matters} matters ({Events} events): {FactRows} facts rows, {Removed} stale ones removed, in {Seconds} s")]
    private static partial void LogRebuilt(ILogger logger, int matters, int events, int factRows, int removed, double seconds);
}
