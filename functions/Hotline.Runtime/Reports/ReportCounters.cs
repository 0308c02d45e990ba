using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Reports;

/// <summary>
/// The report counters (table <c>ReportCounters</c>): what the organizer report reads instead of every assignment of
/// the period, so that a report costs a number of reads that follows its answer (units × days), not the month's matters.
/// One partition per CST day on which organizers received assignments (<c>yyyy-MM-dd</c>), holding:
/// <list type="bullet">
/// <item><c>c-{matter}-{n}</c>: one assignment's contribution (<see cref="OrganizerCounters.Of"/>) and the version of the
/// history it was derived from;</item>
/// <item><c>s-{organizer}</c>: the sum of the contributions of the unit's assignments received that day;</item>
/// <item><c>units</c>: the units that have a sum row that day, so a report finds them by point reads.</item>
/// </list>
/// A contribution never depends on the report's instant (<see cref="OrganizerCounters"/> keeps, for what "as of"
/// decides, the deadline instead of the verdict), so a settled assignment and an open one are kept alike and the
/// report applies its instant when it reads.
/// <para>
/// Exactly once over an at-least-once projection: a contribution row and the sum row it is part of are in the same
/// partition and change together in one entity-group transaction, each under the ETag it was read with. The sum
/// changes by the difference between the stored contribution and the new one, and only when the history is newer
/// than the stored contribution (or, rebuilding, as new); so a replay of the same version adds nothing, an older
/// history never replaces a newer one, and two runners projecting different matters into the same sum row cannot both
/// win: the second one's transaction fails on the ETag and it reads again. The sum therefore always equals the sum of
/// its contribution rows, which a rebuild can recompute from the events.
/// </para>
/// </summary>
public sealed class ReportCounters(TableClient table)
{
    private const string UnitsRow = "units";
    private const string SumPrefix = "s-";
    private const string ContributionPrefix = "c-";
    private const int Attempts = 20;
    private const int ReadParallelism = 8;

    public TableClient Table => table;

    /// <summary>The partition of the assignments a unit received on <paramref name="day"/> (CST).</summary>
    public static string Partition(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The contribution rows a matter's facts make.</summary>
    public static IEnumerable<FactsRowKey> KeysOf(MatterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Assignments.Select(a => new FactsRowKey(Partition(ChinaTime.DayOf(a.ReceivedAt)), ContributionKey(a.MatterId, a.Number)));
    }

    /// <summary>
    /// Counts one matter's assignments at the version of <paramref name="facts"/>. With <paramref name="rewrite"/> a
    /// contribution already at this version is derived again (a rebuild corrects what older code derived).
    /// </summary>
    public async Task ProjectAsync(MatterFacts facts, bool rewrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var day in facts.Assignments.GroupBy(a => Partition(ChinaTime.DayOf(a.ReceivedAt)), StringComparer.Ordinal))
        {
            var changes = day.Select(a => new Change(ContributionKey(a.MatterId, a.Number), a.Organizer, facts.Version, OrganizerCounters.Of(a))).ToArray();
            await WriteAsync(day.Key, changes, rewrite, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes a contribution that no history produces any more (a rebuild's clean-up), taking it out of its sum, but
    /// only if it is still at <paramref name="version"/>: one the write path moved on meanwhile is not stale.
    /// </summary>
    public Task RemoveAsync(FactsRowKey key, int version, CancellationToken cancellationToken = default) =>
        WriteAsync(key.PartitionKey, [new Change(key.RowKey, "", version, null)], rewrite: false, cancellationToken);

    /// <summary>Every contribution row's key and version, so a rebuild can remove the ones it did not write.</summary>
    public async Task<IReadOnlyList<(FactsRowKey Key, int Version)>> ContributionsAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<(FactsRowKey, int)>();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {ContributionPrefix} and RowKey lt {"c."}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Version"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add((new FactsRowKey(row.PartitionKey, row.RowKey), row.GetInt32("Version") ?? 0));
        }
        return keys;
    }

    /// <summary>Every day that has counters rows.</summary>
    public async Task<IReadOnlyList<string>> PartitionsAsync(CancellationToken cancellationToken = default)
    {
        var partitions = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            partitions.Add(row.PartitionKey);
        }
        return [.. partitions];
    }

    /// <summary>
    /// Sets a day's sums and unit list to what its contribution rows add up to (a rebuild's last step: a sum damaged by
    /// hand, or derived by older code, is recounted). The sums are read before the contributions and written under the
    /// ETags read, so a projection that commits meanwhile makes the recount start again rather than be lost.
    /// </summary>
    public async Task RecountAsync(string partition, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var sums = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            TableEntity? units = null;
            var sumFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and ((RowKey ge {SumPrefix} and RowKey lt {"s."}) or RowKey eq {UnitsRow})");
            await foreach (var row in table.QueryAsync<TableEntity>(sumFilter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.RowKey == UnitsRow) units = row;
                else sums[row.RowKey[SumPrefix.Length..]] = row;
            }
            var counted = new SortedDictionary<string, OrganizerCounters>(StringComparer.Ordinal);
            var contributionFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {ContributionPrefix} and RowKey lt {"c."}");
            await foreach (var row in table.QueryAsync<TableEntity>(contributionFilter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var organizer = row.GetString("Organizer") ?? "";
                (counted.TryGetValue(organizer, out var sum) ? sum : counted[organizer] = new OrganizerCounters()).Add(ReadCounters(row), 1);
            }

            var actions = new List<TableTransactionAction>();
            foreach (var (organizer, counters) in counted)
            {
                var json = JsonSerializer.Serialize(counters.Canonical(), HotlineJson.Options);
                var stored = sums.GetValueOrDefault(organizer);
                if (stored is not null && JsonColumns.Read(stored, "Json") == json) continue;
                var row = new TableEntity(partition, SumPrefix + organizer);
                JsonColumns.Write(row, "Json", json);
                actions.Add(stored is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, row)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, stored.ETag));
            }
            foreach (var (organizer, stored) in sums.Where(s => !counted.ContainsKey(s.Key)))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, stored, stored.ETag));
            }
            var listed = string.Join('\n', counted.Keys);
            if (units?.GetString("Units") != listed && (units is not null || counted.Count > 0))
            {
                var row = new TableEntity(partition, UnitsRow) { ["Units"] = listed };
                actions.Add(units is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, row)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, units.ETag));
            }
            if (actions.Count == 0) return;
            try
            {
                // A day has a sum per unit that received something that day: far fewer than a transaction's 100 rows
                // in any city's directory; more would be written in several transactions, each under its own ETags.
                foreach (var chunk in actions.Chunk(100)) await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
            }
        }
        throw new InvalidOperationException($"Could not recount the counters of {partition}: they kept changing.");
    }

    /// <summary>
    /// Each unit's counters of the assignments received on <paramref name="days"/>: a point read of each day's unit list,
    /// then one of each listed unit's sum row. Nothing else is read.
    /// </summary>
    public async Task<Dictionary<string, OrganizerCounters>> OrganizersAsync(IReadOnlyCollection<DateOnly> days, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        var result = new Dictionary<string, OrganizerCounters>(StringComparer.Ordinal);
        // A day's sums are asked for together as soon as its unit list is in: no wait for the other days' lists.
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            var partition = Partition(day);
            var units = await table.GetEntityIfExistsAsync<TableEntity>(partition, UnitsRow, cancellationToken: ct).ConfigureAwait(false);
            if (!units.HasValue) return;
            var rows = await Task.WhenAll(ReadUnits(units.Value!).Select(async organizer =>
                (organizer, Row: await table.GetEntityIfExistsAsync<TableEntity>(partition, SumPrefix + organizer, cancellationToken: ct).ConfigureAwait(false)))).ConfigureAwait(false);
            foreach (var (organizer, row) in rows)
            {
                if (!row.HasValue) continue;
                var counters = ReadCounters(row.Value!);
                lock (result)
                {
                    if (result.TryGetValue(organizer, out var unit)) unit.Add(counters, 1);
                    else result[organizer] = counters;
                }
            }
        }).ConfigureAwait(false);
        return result;
    }

    /// <param name="Counters">The new contribution; null to remove it.</param>
    private sealed record Change(string RowKey, string Organizer, int Version, OrganizerCounters? Counters);

    private sealed record Stored(TableEntity Row, int Version, string Organizer, OrganizerCounters Counters);

    /// <summary>
    /// Counts many matters at once (a bulk load, such as the benchmark's): per day and unit, up to 98 assignments in one
    /// transaction, written as new without reading them first. Where one already exists the transaction fails as a
    /// whole and those assignments are counted the ordinary way, reading what is stored, so the result is the same.
    /// </summary>
    public async Task ProjectManyAsync(IEnumerable<MatterFacts> facts, int parallelism = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var batches = facts
            .SelectMany(f => f.Assignments.Select(a => (Partition: Partition(ChinaTime.DayOf(a.ReceivedAt)),
                Change: new Change(ContributionKey(a.MatterId, a.Number), a.Organizer, f.Version, OrganizerCounters.Of(a)))))
            .GroupBy(x => (x.Partition, x.Change.Organizer))
            .SelectMany(g => g.Select(x => x.Change).Chunk(98).Select(chunk => (g.Key.Partition, Changes: chunk)))
            .GroupBy(b => b.Partition, StringComparer.Ordinal)
            .ToArray();
        // Days in parallel, each day's batches one after another: they share the day's unit list.
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            foreach (var (partition, changes) in day) await WriteAsync(partition, changes, rewrite: false, ct, assumeNew: true).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task WriteAsync(string partition, Change[] changes, bool rewrite, CancellationToken cancellationToken, bool assumeNew = false)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var contributions = assumeNew
                ? new Stored?[changes.Length]
                : await Task.WhenAll(changes.Select(c => ReadContributionAsync(partition, c.RowKey, cancellationToken))).ConfigureAwait(false);
            var actions = new List<TableTransactionAction>();
            // The sums touched, as read (null: no row yet) and as they will be.
            var sums = new Dictionary<string, (TableEntity? Row, OrganizerCounters Counters)>(StringComparer.Ordinal);
            for (var i = 0; i < changes.Length; i++)
            {
                var (change, stored) = (changes[i], contributions[i]);
                if (change.Counters is null ? stored is null || stored.Version != change.Version
                        : stored is not null && (stored.Version > change.Version || (stored.Version == change.Version && !rewrite)))
                {
                    continue;
                }
                var organizer = stored?.Organizer ?? change.Organizer;
                if (!sums.TryGetValue(organizer, out var sum))
                {
                    var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, SumPrefix + organizer, cancellationToken: cancellationToken).ConfigureAwait(false);
                    sum = sums[organizer] = row.HasValue ? (row.Value, ReadCounters(row.Value!)) : (null, new OrganizerCounters());
                }
                if (stored is not null) sum.Counters.Add(stored.Counters, -1);
                if (change.Counters is not null)
                {
                    sum.Counters.Add(change.Counters, 1);
                    var row = new TableEntity(partition, change.RowKey) { ["Version"] = change.Version, ["Organizer"] = change.Organizer };
                    JsonColumns.Write(row, "Json", JsonSerializer.Serialize(change.Counters, HotlineJson.Options));
                    actions.Add(stored is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, row)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, stored.Row.ETag));
                }
                else
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, stored!.Row, stored.Row.ETag));
                }
            }
            if (actions.Count == 0) return;

            var newUnits = new List<string>();
            foreach (var (organizer, (row, counters)) in sums)
            {
                var json = JsonSerializer.Serialize(counters.Canonical(), HotlineJson.Options);
                // A version moving on without changing what the assignment counts leaves its sum as it was.
                if (row is not null && json == JsonColumns.Read(row, "Json")) continue;
                var sum = new TableEntity(partition, SumPrefix + organizer);
                JsonColumns.Write(sum, "Json", json);
                actions.Add(row is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, sum)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, sum, row.ETag));
                if (row is null) newUnits.Add(organizer);
            }
            if (newUnits.Count > 0)
            {
                var units = await table.GetEntityIfExistsAsync<TableEntity>(partition, UnitsRow, cancellationToken: cancellationToken).ConfigureAwait(false);
                var listed = units.HasValue ? ReadUnits(units.Value!) : [];
                var row = new TableEntity(partition, UnitsRow) { ["Units"] = string.Join('\n', listed.Union(newUnits, StringComparer.Ordinal).Order(StringComparer.Ordinal)) };
                actions.Add(units.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, units.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, row));
            }
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another runner changed a contribution, the sum or the unit list meanwhile, or a contribution assumed
                // new exists: read again.
                assumeNew = false;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                assumeNew = false;
            }
        }
        throw new InvalidOperationException($"Could not count {changes[0].RowKey} in {partition}: the counters kept changing.");
    }

    private async Task<Stored?> ReadContributionAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? new Stored(row.Value!, row.Value!.GetInt32("Version") ?? 0, row.Value!.GetString("Organizer") ?? "", ReadCounters(row.Value!))
            : null;
    }

    private static string ContributionKey(string matterId, int number) => ContributionPrefix + matterId + "-" + number.ToString("D2", CultureInfo.InvariantCulture);

    private static string[] ReadUnits(TableEntity row) => (row.GetString("Units") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static OrganizerCounters ReadCounters(TableEntity row) =>
        JsonSerializer.Deserialize<OrganizerCounters>(JsonColumns.Read(row, "Json"), HotlineJson.Options)
        ?? throw new InvalidOperationException($"Counters row {row.PartitionKey}/{row.RowKey} is empty.");
}
