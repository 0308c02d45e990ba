using System.Globalization;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.Runtime.Reports;

/// <summary>A row of the facts table, by its keys.</summary>
public readonly record struct FactsRowKey(string PartitionKey, string RowKey);

/// <summary>
/// The facts table (<c>MatterFacts</c>): what the reports are computed from, kept by the same <c>project</c> effect as
/// the staff index and rebuilt from the events by <see cref="ProjectionRebuilder"/>. Two kinds of row, each partitioned
/// by the CST month in which it was received:
/// <list type="bullet">
/// <item>matter rows (<c>m-{matter}</c>), by the month the hotline received the matter: hotspots count them;</item>
/// <item>assignment rows (<c>a-{matter}-{n}</c>), by the month the organizer received it (its dispatch): the
/// organizer assessment counts them, so a period's assignments are found in that period's partitions even for a
/// matter received earlier.</item>
/// </list>
/// Every row carries the version of the history it was derived from and never goes back to an older one. With
/// <see cref="Counters"/> and <see cref="Hotspots"/>, the same projection keeps the reports' counters
/// (<see cref="ReportCounters"/>, <see cref="HotspotCounters"/>).
/// </summary>
public sealed class FactsProjection(TableClient table, ReportCounters? counters = null, HotspotCounters? hotspots = null)
{
    private const string MatterPrefix = "m-";
    private const string AssignmentPrefix = "a-";

    public TableClient Table => table;

    /// <summary>The report counters kept with the facts, if any.</summary>
    public ReportCounters? Counters => counters;

    /// <summary>The hotspot counters kept with the facts, if any.</summary>
    public HotspotCounters? Hotspots => hotspots;

    /// <summary>
    /// Writes the facts of one matter's history. With <paramref name="rewrite"/>, rows already at this version are
    /// written again (a rebuild corrects rows that older code derived); a row at a newer version is left alone either way.
    /// </summary>
    /// <returns>The keys of the matter's rows, written or already newer.</returns>
    public async Task<IReadOnlyList<FactsRowKey>> ProjectAsync(IReadOnlyList<MatterEvent> history, bool rewrite = false, CancellationToken cancellationToken = default)
    {
        var facts = MatterFacts.From(history);
        var rows = RowsOf(facts);
        // Usually one partition (the matter and its assignments received in the same month): one read and one write.
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            await WriteAsync(partition.Key, [.. partition], facts.Version, rewrite, cancellationToken).ConfigureAwait(false);
        }
        // After the facts: a failure here fails the effect, which runs again and finds the facts already written.
        if (counters is not null) await counters.ProjectAsync(facts, rewrite, cancellationToken).ConfigureAwait(false);
        if (hotspots is not null) await hotspots.ProjectAsync(facts, rewrite, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new FactsRowKey(r.PartitionKey, r.RowKey))];
    }

    /// <summary>Assignments the organizers received in [from, to), read from the partitions of those months only.</summary>
    public async Task<IReadOnlyList<AssignmentFacts>> AssignmentsReceivedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var result = new List<AssignmentFacts>();
        await foreach (var row in table.QueryAsync<TableEntity>(Received(AssignmentPrefix, from, to), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read<AssignmentFacts>(row));
        }
        return result;
    }

    /// <summary>Matters the hotline received in [from, to), without their assignments.</summary>
    public async Task<IReadOnlyList<MatterFacts>> MattersReceivedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var result = new List<MatterFacts>();
        await foreach (var row in table.QueryAsync<TableEntity>(Received(MatterPrefix, from, to), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(Read<MatterFacts>(row));
        }
        return result;
    }

    /// <summary>Every row's keys and ETag, so a rebuild can remove the rows it did not write.</summary>
    public async Task<IReadOnlyList<(FactsRowKey Key, ETag ETag)>> KeysAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<(FactsRowKey, ETag)>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Version"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add((new FactsRowKey(row.PartitionKey, row.RowKey), row.ETag));
        }
        return keys;
    }

    /// <summary>The rows a matter's facts make: the matter's own, then one per assignment.</summary>
    public static IReadOnlyList<TableEntity> RowsOf(MatterFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var matter = new TableEntity(Month(facts.ReceivedAt), MatterPrefix + facts.MatterId)
        {
            ["Version"] = facts.Version,
            ["ReceivedAt"] = facts.ReceivedAt,
            ["Category"] = facts.Category,
        };
        // The assignments have rows of their own; repeating them here would give one truth two places to drift apart.
        JsonColumns.Write(matter, "Json", JsonSerializer.Serialize(facts with { Assignments = [] }, HotlineJson.Options));
        var rows = new List<TableEntity> { matter };
        foreach (var a in facts.Assignments)
        {
            var row = new TableEntity(Month(a.ReceivedAt), AssignmentPrefix + a.MatterId + "-" + a.Number.ToString("D2", CultureInfo.InvariantCulture))
            {
                ["Version"] = facts.Version,
                ["ReceivedAt"] = a.ReceivedAt,
                ["Organizer"] = a.Organizer,
            };
            JsonColumns.Write(row, "Json", JsonSerializer.Serialize(a, HotlineJson.Options));
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Writes one partition's rows of a matter in one transaction, each only over an older version (or the same one,
    /// rewriting) and under the ETag it was read with, so two runners never put an older history over a newer one.
    /// </summary>
    private async Task WriteAsync(string partitionKey, TableEntity[] rows, int version, bool rewrite, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}") + " and (" +
                     string.Join(" or ", rows.Select(r => TableClient.CreateQueryFilter($"RowKey eq {r.RowKey}"))) + ")";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = new Dictionary<string, (int Version, ETag ETag)>(StringComparer.Ordinal);
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Version"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                stored[row.RowKey] = (row.GetInt32("Version") ?? 0, row.ETag);
            }
            var actions = new List<TableTransactionAction>();
            foreach (var row in rows)
            {
                if (!stored.TryGetValue(row.RowKey, out var existing))
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
                else if (existing.Version < version || (rewrite && existing.Version == version))
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, existing.ETag));
            }
            if (actions.Count == 0) return;
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another runner wrote one of the rows meanwhile; look again.
            }
        }
        throw new InvalidOperationException($"Could not write the facts rows of {rows[0].RowKey} in {partitionKey}: they kept changing.");
    }

    private static string Received(string prefix, DateTimeOffset from, DateTimeOffset to) =>
        TableClient.CreateQueryFilter($"PartitionKey ge {Month(from)} and PartitionKey le {Month(to)} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)} and ReceivedAt ge {from} and ReceivedAt lt {to}");

    private static T Read<T>(TableEntity row) =>
        JsonSerializer.Deserialize<T>(JsonColumns.Read(row, "Json"), HotlineJson.Options)
        ?? throw new InvalidOperationException($"Facts row {row.PartitionKey}/{row.RowKey} is empty.");

    private static string Month(DateTimeOffset t) => ChinaTime.ToChina(t).ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
