using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Reports;

/// <summary>
/// The hotspot counters (table <c>HotspotCounters</c>): what the hotspot report reads instead of every matter of the
/// period and the one before. One partition per CST day on which the hotline received matters (<c>yyyy-MM-dd</c>):
/// <list type="bullet">
/// <item><c>m-{matter}</c>: the matter's contribution, its place (<see cref="HotspotPlace"/>; none when it was not
/// accepted), and the version of the history it was derived from;</item>
/// <item><c>counts</c>: the day's accepted matters by category and by district (<see cref="HotspotCounts"/>), and the
/// list of the day's place rows;</item>
/// <item><c>p-{category}|{district}</c>: the places of the day's accepted matters of one category in one district,
/// which "repeated places" links by address and radius.</item>
/// </list>
/// A report reads the <c>counts</c> row of each day of both periods, and the place rows of the current one: rows by
/// days × categories × districts, not by matters (the places themselves are what the answer lists).
/// Exactly once, as <see cref="ReportCounters"/>: the contribution, the counts and the place row change together in
/// one entity-group transaction under the ETags read, and only for a newer history (or as new in a rebuild).
/// </summary>
public sealed class HotspotCounters(TableClient table)
{
    private const string CountsRow = "counts";
    private const string MatterPrefix = "m-";
    private const string PlacePrefix = "p-";
    private const int Attempts = 20;
    private const int ReadParallelism = 16;

    public TableClient Table => table;

    public static string Partition(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static FactsRowKey KeyOf(MatterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new FactsRowKey(Partition(ChinaTime.DayOf(facts.ReceivedAt)), MatterPrefix + facts.MatterId);
    }

    /// <summary>Counts one matter at the version of <paramref name="facts"/>; with <paramref name="rewrite"/> also over the same version.</summary>
    public Task ProjectAsync(MatterFacts facts, bool rewrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return WriteAsync(KeyOf(facts).PartitionKey, [new Change(MatterPrefix + facts.MatterId, facts.Version, HotspotPlace.Of(facts), Removed: false)], rewrite, false, cancellationToken);
    }

    /// <summary>Removes a contribution no history makes any more, if still at <paramref name="version"/>.</summary>
    public Task RemoveAsync(FactsRowKey key, int version, CancellationToken cancellationToken = default) =>
        WriteAsync(key.PartitionKey, [new Change(key.RowKey, version, null, Removed: true)], false, false, cancellationToken);

    /// <summary>Every contribution row's key and version, so a rebuild can remove the ones it did not write.</summary>
    public async Task<IReadOnlyList<(FactsRowKey Key, int Version)>> ContributionsAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<(FactsRowKey, int)>();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {MatterPrefix} and RowKey lt {"m."}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Version"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add((new FactsRowKey(row.PartitionKey, row.RowKey), row.GetInt32("Version") ?? 0));
        }
        return keys;
    }

    /// <summary>Every day that has rows.</summary>
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
    /// Sets a day's counts and place rows to what its contributions make (a rebuild's last step). The counts and places
    /// are read before the contributions and written under those ETags, so a projection committing meanwhile makes the
    /// recount start again.
    /// </summary>
    public async Task RecountAsync(string partition, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var sums = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            var sumFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and ((RowKey ge {PlacePrefix} and RowKey lt {"p."}) or RowKey eq {CountsRow})");
            await foreach (var row in table.QueryAsync<TableEntity>(sumFilter, cancellationToken: cancellationToken).ConfigureAwait(false)) sums[row.RowKey] = row;
            var counts = new HotspotCounts();
            var places = new SortedDictionary<string, List<HotspotPlace>>(StringComparer.Ordinal);
            var matterFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {MatterPrefix} and RowKey lt {"m."}");
            await foreach (var row in table.QueryAsync<TableEntity>(matterFilter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (ReadPlace(row) is not { } place) continue;
                counts.Add(HotspotCounts.Of(place.ToFacts()), 1);
                (places.TryGetValue(PlaceRow(place), out var list) ? list : places[PlaceRow(place)] = []).Add(place);
            }

            var actions = new List<TableTransactionAction>();
            void Put(TableEntity entity)
            {
                var stored = sums.GetValueOrDefault(entity.RowKey);
                if (stored is not null && JsonColumns.Read(stored, "Json") == JsonColumns.Read(entity, "Json") && stored.GetString("Places") == entity.GetString("Places")) return;
                actions.Add(stored is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, stored.ETag));
            }
            foreach (var (key, list) in places)
            {
                var entity = new TableEntity(partition, key);
                JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(list.OrderBy(p => p.MatterId, StringComparer.Ordinal), HotlineJson.Options));
                Put(entity);
            }
            if (places.Count > 0 || sums.ContainsKey(CountsRow))
            {
                var entity = new TableEntity(partition, CountsRow) { ["Places"] = string.Join('\n', places.Keys) };
                JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(counts.Canonical(), HotlineJson.Options));
                Put(entity);
            }
            foreach (var stale in sums.Values.Where(s => s.RowKey != CountsRow && !places.ContainsKey(s.RowKey)))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, stale, stale.ETag));
            }
            if (actions.Count == 0) return;
            try
            {
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
        throw new InvalidOperationException($"Could not recount the hotspot counters of {partition}: they kept changing.");
    }

    /// <summary>Counts many matters at once (a bulk load): up to 98 of one day, category and district per transaction, written as new.</summary>
    public async Task ProjectManyAsync(IEnumerable<MatterFacts> facts, int parallelism = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var days = facts
            .Select(f => (Partition: KeyOf(f).PartitionKey, Change: new Change(MatterPrefix + f.MatterId, f.Version, HotspotPlace.Of(f), Removed: false)))
            .GroupBy(x => (x.Partition, Place: x.Change.Place is { } p ? PlaceRow(p) : ""))
            .SelectMany(g => g.Select(x => x.Change).Chunk(98).Select(chunk => (g.Key.Partition, Changes: chunk)))
            .GroupBy(b => b.Partition, StringComparer.Ordinal)
            .ToArray();
        // Days in parallel, each day's batches one after another: they share the day's counts row.
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            foreach (var (partition, changes) in day) await WriteAsync(partition, changes, false, true, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The counts of each of <paramref name="days"/> that has any, and, for <paramref name="withPlaces"/>, the places of the day's matters.</summary>
    public async Task<(Dictionary<DateOnly, HotspotCounts> Counts, List<HotspotPlace> Places)> ReadAsync(IReadOnlyCollection<DateOnly> days, Func<DateOnly, bool> withPlaces,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(withPlaces);
        var counts = new Dictionary<DateOnly, HotspotCounts>();
        var placeRows = new List<(string Partition, string RowKey)>();
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(day), CountsRow, cancellationToken: ct).ConfigureAwait(false);
            if (!row.HasValue) return;
            var (dayCounts, places) = ReadCounts(row.Value!);
            lock (counts)
            {
                counts[day] = dayCounts;
                if (withPlaces(day)) placeRows.AddRange(places.Select(p => (Partition(day), p)));
            }
        }).ConfigureAwait(false);

        var result = new List<HotspotPlace>();
        await Parallel.ForEachAsync(placeRows, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(key.Partition, key.RowKey, cancellationToken: ct).ConfigureAwait(false);
            if (!row.HasValue) return;
            var places = ReadPlaces(row.Value!);
            lock (result) result.AddRange(places);
        }).ConfigureAwait(false);
        return (counts, result);
    }

    private sealed record Change(string RowKey, int Version, HotspotPlace? Place, bool Removed);

    private static string PlaceRow(HotspotPlace p) => PlacePrefix + Uri.EscapeDataString(p.Category) + "|" + Uri.EscapeDataString(p.District ?? "");

    private async Task WriteAsync(string partition, Change[] changes, bool rewrite, bool assumeNew, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var stored = assumeNew
                ? new TableEntity?[changes.Length]
                : await Task.WhenAll(changes.Select(async c =>
                    {
                        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, c.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                        return row.HasValue ? row.Value : null;
                    })).ConfigureAwait(false);
            var actions = new List<TableTransactionAction>();
            HotspotCounts? dayCounts = null;
            SortedSet<string>? placeList = null;
            TableEntity? countsRow = null;
            var placeRows = new Dictionary<string, (TableEntity? Row, List<HotspotPlace> Places)>(StringComparer.Ordinal);
            for (var i = 0; i < changes.Length; i++)
            {
                var (change, row) = (changes[i], stored[i]);
                var version = row?.GetInt32("Version") ?? 0;
                if (change.Removed ? row is null || version != change.Version
                        : row is not null && (version > change.Version || (version == change.Version && !rewrite)))
                {
                    continue;
                }
                var old = row is null ? null : ReadPlace(row);
                var changed = JsonSerializer.Serialize(old, HotlineJson.Options) != JsonSerializer.Serialize(change.Place, HotlineJson.Options) || change.Removed;
                if (change.Removed)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, row!, row!.ETag));
                }
                else
                {
                    var entity = new TableEntity(partition, change.RowKey) { ["Version"] = change.Version };
                    if (change.Place is not null) JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(change.Place, HotlineJson.Options));
                    actions.Add(row is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag));
                }
                if (!changed) continue;

                if (dayCounts is null)
                {
                    var read = await table.GetEntityIfExistsAsync<TableEntity>(partition, CountsRow, cancellationToken: cancellationToken).ConfigureAwait(false);
                    countsRow = read.HasValue ? read.Value : null;
                    (dayCounts, var listed) = countsRow is null ? (new HotspotCounts(), []) : ReadCounts(countsRow);
                    placeList = new SortedSet<string>(listed, StringComparer.Ordinal);
                }
                foreach (var (place, sign) in new[] { (old, -1), (change.Removed ? null : change.Place, 1) })
                {
                    if (place is null) continue;
                    dayCounts.Add(HotspotCounts.Of(place.ToFacts()), sign);
                    var key = PlaceRow(place);
                    if (!placeRows.TryGetValue(key, out var placeRow))
                    {
                        var read = await table.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
                        placeRow = placeRows[key] = read.HasValue ? (read.Value, ReadPlaces(read.Value!)) : (null, []);
                    }
                    if (sign > 0) placeRow.Places.Add(place);
                    else placeRow.Places.RemoveAll(p => p.MatterId == place.MatterId);
                }
            }
            if (actions.Count == 0) return;

            foreach (var (key, (row, places)) in placeRows)
            {
                if (places.Count == 0)
                {
                    if (row is not null) actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag));
                    placeList!.Remove(key);
                    continue;
                }
                var entity = new TableEntity(partition, key);
                JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(places.OrderBy(p => p.MatterId, StringComparer.Ordinal), HotlineJson.Options));
                actions.Add(row is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag));
                placeList!.Add(key);
            }
            if (dayCounts is not null)
            {
                var entity = new TableEntity(partition, CountsRow) { ["Places"] = string.Join('\n', placeList!) };
                JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(dayCounts.Canonical(), HotlineJson.Options));
                actions.Add(countsRow is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, countsRow.ETag));
            }
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another runner changed the day's counts, a place row or the contribution meanwhile: read again.
                assumeNew = false;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                assumeNew = false;
            }
        }
        throw new InvalidOperationException($"Could not count {changes[0].RowKey} in {partition}: the hotspot counters kept changing.");
    }

    private static HotspotPlace? ReadPlace(TableEntity row) =>
        row.ContainsKey("JsonChunks") ? JsonSerializer.Deserialize<HotspotPlace>(JsonColumns.Read(row, "Json"), HotlineJson.Options) : null;

    private static List<HotspotPlace> ReadPlaces(TableEntity row) =>
        JsonSerializer.Deserialize<List<HotspotPlace>>(JsonColumns.Read(row, "Json"), HotlineJson.Options) ?? [];

    private static (HotspotCounts Counts, string[] Places) ReadCounts(TableEntity row) =>
        (JsonSerializer.Deserialize<HotspotCounts>(JsonColumns.Read(row, "Json"), HotlineJson.Options) ?? new HotspotCounts(),
            (row.GetString("Places") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries));
}
