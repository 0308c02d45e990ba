using System.Globalization;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Azure.Data.Tables;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Projections;

/// <summary>The platform's own decisions, each a queue of the staff workbench.</summary>
public enum QueueKind
{
    /// <summary>Matters routing could not place, and returns approved without reassignment (Fujian 14, 16).</summary>
    Dispatch,

    /// <summary>An organizer applied to return the matter (Weifang 22).</summary>
    Return,

    /// <summary>An organizer applied for more time (Fujian 20(6)).</summary>
    Extension,

    /// <summary>A reply waits for review before it reaches the citizen (Fujian 18).</summary>
    Reply,

    /// <summary>An organizer applied to terminate handling (Weifang 21).</summary>
    Termination,

    /// <summary>The citizen was unsatisfied: staff verify whether the organizer is responsible (Fujian 22).</summary>
    Verification,

    /// <summary>
    /// Organizers' proposals for the knowledge base (Weifang 31(2); Fujian 11(3)). Not matters: they wait in
    /// <see cref="Knowledge.KnowledgeProposals"/>, and this table never holds a row of this queue.
    /// </summary>
    Knowledge,
}

/// <summary>One matter waiting in one queue: what the workbench shows of it, with no citizen's personal data.</summary>
/// <param name="Since">When the matter entered the queue (the application, the reply, the arrival or the approved return).</param>
/// <param name="Deadline">The clock the decision runs against: dispatch by for dispatch, the completion deadline otherwise.</param>
/// <param name="Reason">The organizer's stated reason (return, extension, termination) or the citizen's comment (verification), shortened.</param>
public sealed record QueueItem(
    QueueKind Queue,
    string MatterId,
    int Version,
    DateTimeOffset Since,
    DateTimeOffset? Deadline,
    MatterType Type,
    Urgency Urgency,
    string Category,
    string? District,
    string? Organizer,
    string Title,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueBy,
    bool Supervised,
    string? Reason,
    int? WorkingDays,
    IReadOnlyList<string> PossibleDuplicates);

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? ContinuationToken);

/// <summary>
/// The workbench queues (table <c>StaffQueues</c>): one row per matter waiting in a queue, partitioned by queue and
/// keyed by the instant it entered the queue, so a queue reads oldest first from its own partition however many
/// matters the system holds. Kept by the projection effect, like <see cref="MatterIndex"/>.
/// <para>
/// A matter's rows live in several partitions, so no transaction covers them. A membership row per matter
/// (partition <c>matter-{id}</c>) holds the version projected and the keys of its rows, and is claimed under its ETag
/// before any queue row is written: versions are claimed in order, each claim removes the rows the older version had
/// and the newer one does not want, rows are written only if newer than what is there, and a writer overtaken by a
/// newer claim while writing takes back the rows the newer version does not want. So a queue never goes back to an
/// older version and a matter that left a queue does not linger in it.
/// </para>
/// </summary>
public sealed class StaffQueues(TableClient table)
{
    private const string MembershipRow = "queues";
    private const int Attempts = 8;

    public TableClient Table => table;

    public static string Name(QueueKind queue) => JsonNamingPolicy.CamelCase.ConvertName(queue.ToString());

    public static QueueKind? Parse(string? name) =>
        Enum.GetValues<QueueKind>().Select(q => (QueueKind?)q).FirstOrDefault(q => Name(q!.Value) == name);

    /// <summary>The queues the matter is waiting in now, with the instant it entered each.</summary>
    public static IReadOnlyList<QueueItem> ItemsOf(Matter m)
    {
        var items = new List<QueueItem>();
        QueueItem Item(QueueKind q, DateTimeOffset since, DateTimeOffset? deadline, string? reason = null, int? days = null) => new(
            q, m.Id, m.Version, since, deadline, m.Intake.Type, m.Intake.Urgency, m.Intake.Category, m.Intake.Location.District, m.Organizer,
            Shorten(m.Intake.Title, 200), m.Intake.ReceivedAt, m.Deadlines.DueBy, m.Supervised, reason is null ? null : Shorten(reason, 500), days,
            q == QueueKind.Dispatch ? m.PossibleDuplicates : []);

        switch (m.Status)
        {
            case MatterStatus.AwaitingDispatch:
                // Back from an approved return, it waits since that decision; otherwise since it was received.
                var since = m.Returns.LastOrDefault(r => r.Approved == true)?.DecidedAt ?? m.Intake.ReceivedAt;
                items.Add(Item(QueueKind.Dispatch, since, m.Deadlines.DispatchBy));
                break;
            case MatterStatus.ReturnRequested when m.Returns.LastOrDefault() is { Approved: null } r:
                items.Add(Item(QueueKind.Return, r.AppliedAt, m.Deadlines.DueBy, r.Reason));
                break;
            case MatterStatus.ReplyUnderReview when m.LatestReply is { Accepted: null } reply:
                items.Add(Item(QueueKind.Reply, reply.At, m.Deadlines.DueBy));
                break;
            case MatterStatus.AwaitingVerification when m.Evaluations.LastOrDefault() is { } evaluation:
                // The handling deadline has passed by now; the decision runs against no clock of its own, so none is shown.
                items.Add(Item(QueueKind.Verification, evaluation.At, null, evaluation.Comment));
                break;
        }
        if (!m.IsTerminal)
        {
            if (m.PendingExtension is { } x) items.Add(Item(QueueKind.Extension, x.AppliedAt, m.Deadlines.DueBy, x.Reason, x.WorkingDays));
            if (m.PendingTermination is { } t) items.Add(Item(QueueKind.Termination, t.AppliedAt, m.Deadlines.DueBy, t.Reason));
        }
        return items;
    }

    /// <summary>
    /// Brings the matter's queue rows to this state of it. A state older than the one projected changes nothing; with
    /// <paramref name="rewrite"/> (the rebuilder) the same version is written again.
    /// </summary>
    public async Task ProjectAsync(Matter m, bool rewrite = false, CancellationToken cancellationToken = default)
    {
        var desired = ItemsOf(m).Select(ToRow).ToArray();
        var wanted = desired.Select(Key).ToHashSet(StringComparer.Ordinal);
        var previous = await ClaimAsync(m, wanted, rewrite, cancellationToken).ConfigureAwait(false);
        if (previous is null) return;

        foreach (var key in previous.Where(k => !wanted.Contains(k)))
        {
            await RemoveAsync(key, v => v <= m.Version, cancellationToken).ConfigureAwait(false);
        }
        foreach (var row in desired)
        {
            await WriteIfNewerAsync(row, m.Version, rewrite, cancellationToken).ConfigureAwait(false);
        }

        // A newer version claimed while these rows were written may have missed them: take back what it does not want.
        var now = await table.GetEntityIfExistsAsync<TableEntity>(MembershipPartition(m.Id), MembershipRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (now.HasValue && (now.Value!.GetInt32("Version") ?? 0) > m.Version)
        {
            var keep = Keys(now.Value);
            foreach (var key in wanted.Where(k => !keep.Contains(k)))
            {
                await RemoveAsync(key, v => v == m.Version, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How many matters wait in each of these queues (each count reads only that queue's keys).</summary>
    public async Task<IReadOnlyDictionary<QueueKind, int>> CountsAsync(IEnumerable<QueueKind> queues, CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<QueueKind, int>();
        foreach (var queue in queues)
        {
            var n = 0;
            await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Name(queue)}"), 1000, ["RowKey"], cancellationToken).ConfigureAwait(false)) n++;
            counts[queue] = n;
        }
        return counts;
    }

    /// <summary>A page of the queue, oldest first.</summary>
    public async Task<QueuePage> ListAsync(QueueKind queue, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var page = await table.QueryPageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Name(queue)}"), top: Math.Clamp(pageSize, 1, 1000),
            continuation: MatterIndex.DecodeToken(continuationToken), cancellationToken: cancellationToken).ConfigureAwait(false);
        var next = page.ContinuationToken;
        // The service may hand back a token that points into the next queue's partition (the SDK's token is
        // "{partition} {row}"): this queue ends there.
        if (next is not null && next.Split(' ')[0] != Name(queue)) next = null;
        return new QueuePage([.. page.Entities.Select(FromRow)], MatterIndex.EncodeToken(next));
    }

    /// <summary>
    /// Removes queue rows that no matter's membership lists (left by a lost write or a deleted membership row); the
    /// rebuilder calls it after projecting every matter again. Reads only the queues' partitions.
    /// </summary>
    public async Task<int> RemoveOrphansAsync(CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var queue in Enum.GetValues<QueueKind>())
        {
            var rows = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Name(queue)}"), 1000, ["PartitionKey", "RowKey", "MatterId"], cancellationToken)
                               .ConfigureAwait(false))
            {
                rows.Add(row);
            }
            foreach (var row in rows)
            {
                var matterId = row.GetString("MatterId") ?? "";
                var member = await table.GetEntityIfExistsAsync<TableEntity>(MembershipPartition(matterId), MembershipRow, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (member.HasValue && Keys(member.Value!).Contains(row.PartitionKey + "/" + row.RowKey)) continue;
                try
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                    removed++;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    // Rewritten or removed meanwhile by the write path: not an orphan any more.
                }
            }
        }
        return removed;
    }

    /// <summary>Claims the membership for this version; the keys the previous version had, or null when a newer (or the same) one is there.</summary>
    private async Task<IReadOnlyCollection<string>?> ClaimAsync(Matter m, HashSet<string> wanted, bool rewrite, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(MembershipPartition(m.Id), MembershipRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var version = existing.HasValue ? existing.Value!.GetInt32("Version") ?? 0 : 0;
            if (version > m.Version || (version == m.Version && !rewrite)) return null;
            var claim = new TableEntity(MembershipPartition(m.Id), MembershipRow)
            {
                ["Version"] = m.Version,
                ["Keys"] = string.Join('\n', wanted.Order(StringComparer.Ordinal)),
            };
            try
            {
                if (existing.HasValue) await table.UpdateEntityAsync(claim, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                else await table.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
                return existing.HasValue ? Keys(existing.Value!) : [];
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another runner claimed meanwhile; look again.
            }
        }
        throw new InvalidOperationException($"Could not project matter {m.Id} into the staff queues: its membership kept changing.");
    }

    private async Task WriteIfNewerAsync(TableEntity row, int version, bool rewrite, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, ["Version"], cancellationToken).ConfigureAwait(false);
            try
            {
                if (!existing.HasValue) await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                else if ((existing.Value!.GetInt32("Version") ?? 0) is var there && (there < version || (there == version && rewrite)))
                    await table.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Written by another runner meanwhile; compare versions again.
            }
        }
        throw new InvalidOperationException($"Could not write queue row {row.PartitionKey}/{row.RowKey}: it kept changing.");
    }

    private async Task RemoveAsync(string key, Func<int, bool> removable, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (partition, rowKey) = (key[..slash], key[(slash + 1)..]);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, ["Version"], cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue || !removable(existing.Value!.GetInt32("Version") ?? 0)) return;
            try
            {
                await table.DeleteEntityAsync(partition, rowKey, existing.Value.ETag, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Removed or rewritten meanwhile; look again.
            }
        }
    }

    private static HashSet<string> Keys(TableEntity membership) =>
        (membership.GetString("Keys") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static string MembershipPartition(string matterId) => "matter-" + matterId;

    private static string Key(TableEntity row) => row.PartitionKey + "/" + row.RowKey;

    /// <summary>Row keys sort by the instant the matter entered the queue (UTC ticks, fixed width), then by matter.</summary>
    private static TableEntity ToRow(QueueItem i)
    {
        var row = new TableEntity(Name(i.Queue), i.Since.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + i.MatterId)
        {
            ["MatterId"] = i.MatterId,
            ["Version"] = i.Version,
            ["Since"] = i.Since,
            ["Type"] = JsonNamingPolicy.CamelCase.ConvertName(i.Type.ToString()),
            ["Urgency"] = JsonNamingPolicy.CamelCase.ConvertName(i.Urgency.ToString()),
            ["Category"] = i.Category,
            ["Title"] = i.Title,
            ["ReceivedAt"] = i.ReceivedAt,
            ["Supervised"] = i.Supervised,
        };
        if (i.Deadline is { } deadline) row["Deadline"] = deadline;
        if (i.DueBy is { } dueBy) row["DueBy"] = dueBy;
        if (i.District is { } district) row["District"] = district;
        if (i.Organizer is { } organizer) row["Organizer"] = organizer;
        if (i.Reason is { } reason) row["Reason"] = reason;
        if (i.WorkingDays is { } days) row["WorkingDays"] = days;
        if (i.PossibleDuplicates.Count > 0) row["PossibleDuplicates"] = string.Join(',', i.PossibleDuplicates.Take(20));
        return row;
    }

    private static QueueItem FromRow(TableEntity e) => new(
        Enum.Parse<QueueKind>(e.PartitionKey, ignoreCase: true),
        e.GetString("MatterId") ?? "",
        e.GetInt32("Version") ?? 0,
        ChinaTime.ToChina(e.GetDateTimeOffset("Since") ?? default),
        ToChina(e.GetDateTimeOffset("Deadline")),
        Enum.Parse<MatterType>(e.GetString("Type") ?? "", ignoreCase: true),
        Enum.Parse<Urgency>(e.GetString("Urgency") ?? "", ignoreCase: true),
        e.GetString("Category") ?? "",
        e.GetString("District"),
        e.GetString("Organizer"),
        e.GetString("Title") ?? "",
        ChinaTime.ToChina(e.GetDateTimeOffset("ReceivedAt") ?? default),
        ToChina(e.GetDateTimeOffset("DueBy")),
        e.GetBoolean("Supervised") ?? false,
        e.GetString("Reason"),
        e.GetInt32("WorkingDays"),
        (e.GetString("PossibleDuplicates") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));

    private static DateTimeOffset? ToChina(DateTimeOffset? t) => t is { } v ? ChinaTime.ToChina(v) : null;

    private static string Shorten(string text, int max) => text.Length > max ? text[..max] : text;
}
