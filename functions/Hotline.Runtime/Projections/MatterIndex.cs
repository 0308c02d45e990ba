using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Azure.Data.Tables;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Projections;

public sealed record SupervisionSummary(SupervisionReason Reason, DateTimeOffset Since);

/// <summary>What staff lists show of a matter: no citizen's personal data.</summary>
public sealed record MatterSummary(
    string Id,
    int Version,
    MatterStatus Status,
    MatterType Type,
    Urgency Urgency,
    string Category,
    string? District,
    string? Organizer,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? SignBy,
    DateTimeOffset? DueBy,
    bool Supervised,
    DateTimeOffset? ClosedAt,
    string Title = "",
    IReadOnlyList<SupervisionSummary>? SupervisionReasons = null,
    DateTimeOffset? SupervisedSince = null,
    DateTimeOffset? NextDeadline = null,
    bool? ReturnVisitSolved = null);

public sealed record MatterQuery(
    MatterStatus? Status = null,
    string? Organizer = null,
    bool? Overdue = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int PageSize = 50,
    string? ContinuationToken = null);

public sealed record MatterPage(IReadOnlyList<MatterSummary> Items, string? ContinuationToken);

/// <summary>
/// The staff index (table <c>MatterIndex</c>): one summary row per matter, partitioned by the CST month it was
/// received, so the usual "this month's matters by status or organizer" reads one or two partitions. It is a
/// projection kept by an effect of every change (not by the change's own transaction, which is confined to the
/// matter's partition); the row carries the version it shows and never goes back to an older one. (A matter's
/// <see cref="DuplicateIndex"/> keys are written by its own effect, <see cref="Effects.EffectKinds.Duplicates"/>.)
/// </summary>
/// <param name="supervision">The index of matters under supervision (<see cref="SupervisedAsync"/>); without it (tools that only write the index) the list scans this table.</param>
public sealed partial class MatterIndex(TableClient index, TableClient? supervision = null)
{
    private static readonly MatterStatus[] Open = [MatterStatus.AwaitingSignOff, MatterStatus.Handling, MatterStatus.ReturnRequested];

    public Task ProjectAsync(Matter m, CancellationToken cancellationToken = default) => ProjectAsync(m, rebuild: false, cancellationToken);

    /// <param name="rebuild">The rebuilder's rewrite: the supervision row is brought to this version whatever the index row said before.</param>
    internal async Task ProjectAsync(Matter m, bool rebuild, CancellationToken cancellationToken = default)
    {
        var row = ToRow(m);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await index.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, ["Version", "Supervised"], cancellationToken).ConfigureAwait(false);
            try
            {
                // Whether the supervision index may hold a row of this matter: only then is it read or written, so a
                // matter never supervised costs it nothing.
                bool? wasSupervised = rebuild ? null : existing.HasValue ? existing.Value!.GetBoolean("Supervised") ?? false : false;
                if (!existing.HasValue)
                {
                    await index.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else if ((existing.Value!.GetInt32("Version") ?? 0) < m.Version)
                {
                    await index.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else if ((existing.Value.GetInt32("Version") ?? 0) == m.Version)
                {
                    // Projected before, perhaps by a runner that stopped before the supervision row: look at it again.
                    wasSupervised = null;
                }
                else
                {
                    return;
                }
                if (m.Supervised || wasSupervised != false)
                {
                    await ProjectSupervisionAsync(row, m.Version, rebuild, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another runner projected meanwhile; look again.
            }
        }
        throw new InvalidOperationException($"Could not project matter {m.Id}: the index row kept changing.");
    }

    /// <summary>Matters under supervision now, by organizer, reason and district, paged (Fujian 24, Weifang 26).</summary>
    public async Task<MatterPage> SupervisedAsync(string? organizer, SupervisionReason? reason, string? district, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        var clauses = new List<string> { "Supervised eq true" };
        if (organizer is not null) clauses.Add(TableClient.CreateQueryFilter($"Organizer eq {organizer}"));
        if (district is not null) clauses.Add(TableClient.CreateQueryFilter($"District eq {district}"));
        if (reason is { } r) clauses.Add($"{ReasonColumn(r)} eq true");
        // The supervision index holds the index rows of supervised matters only, under the same keys: the same
        // filter there reads rows sized by the answer, in the same order, with the same continuation tokens.
        var page = await (supervision ?? index).QueryPageAsync(string.Join(" and ", clauses), top: Math.Clamp(pageSize, 1, 1000), continuation: DecodeToken(continuationToken),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new MatterPage(page.Entities.Select(FromRow).ToArray(), EncodeToken(page.ContinuationToken));
    }

    /// <summary>Matters closed (evaluated or lapsed) within [from, to), whatever month they were received in (up to a year before).</summary>
    public async Task<IReadOnlyList<MatterSummary>> ClosedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Month(from.AddYears(-1))} and PartitionKey le {Month(to)} and Status eq {"closed"} and ClosedAt ge {from} and ClosedAt lt {to}");
        var rows = new List<MatterSummary>();
        await foreach (var row in index.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(FromRow(row));
        }
        return rows;
    }

    /// <summary>
    /// Matters not closed whose deadlines were computed as ordinary weeks for some year, with those years. Only
    /// such rows carry the column, so the filter returns nothing else.
    /// </summary>
    public async IAsyncEnumerable<(string MatterId, MatterStatus Status, IReadOnlyList<int> Years)> ProvisionalAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in index.QueryAsync<TableEntity>("ProvisionalYears gt ''", select: ["RowKey", "Status", "ProvisionalYears"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var years = (row.GetString("ProvisionalYears") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(y => int.Parse(y, CultureInfo.InvariantCulture)).ToArray();
            yield return (row.RowKey, Parse<MatterStatus>(row.GetString("Status")), years);
        }
    }

    public async Task<MatterSummary?> GetAsync(string matterId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var row = await index.GetEntityIfExistsAsync<TableEntity>(Month(receivedAt), matterId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromRow(row.Value!) : null;
    }

    public async Task<MatterPage> QueryAsync(MatterQuery q, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var clauses = new List<string>();
        if (q.From is { } from) clauses.Add(TableClient.CreateQueryFilter($"PartitionKey ge {Month(from)} and ReceivedAt ge {from}"));
        if (q.To is { } to) clauses.Add(TableClient.CreateQueryFilter($"PartitionKey le {Month(to)} and ReceivedAt lt {to}"));
        if (q.Status is { } status) clauses.Add(TableClient.CreateQueryFilter($"Status eq {Name(status)}"));
        if (q.Organizer is { } organizer) clauses.Add(TableClient.CreateQueryFilter($"Organizer eq {organizer}"));
        if (q.Overdue == true)
        {
            clauses.Add(TableClient.CreateQueryFilter($"DueBy lt {now}"));
            clauses.Add("(" + string.Join(" or ", Open.Select(s => TableClient.CreateQueryFilter($"Status eq {Name(s)}"))) + ")");
        }
        var filter = clauses.Count == 0 ? null : string.Join(" and ", clauses);
        var page = await index.QueryPageAsync(filter, top: Math.Clamp(q.PageSize, 1, 1000), continuation: DecodeToken(q.ContinuationToken), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return new MatterPage(page.Entities.Select(FromRow).ToArray(), EncodeToken(page.ContinuationToken));
    }

    /// <summary>
    /// Pages of the index as opaque tokens: base64url of the SDK's continuation token, which names the next row.
    /// A token this service did not issue is refused here rather than sent to storage as a key range.
    /// </summary>
    public static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/').PadRight((token.Length + 3) / 4 * 4, '=')));
            var keys = decoded.Split(' ');
            if (keys.Length is not (1 or 2) || keys[0].Length == 0) throw new FormatException();
            foreach (var key in keys) TableKeys.Validate(key, "continuation");
            return decoded;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new FormatException("The continuation token is not one this service issued.");
        }
    }

    public static string? EncodeToken(string? token) =>
        token is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static TableEntity ToRow(Matter m)
    {
        var row = new TableEntity(Month(m.Intake.ReceivedAt), m.Id)
        {
            ["Version"] = m.Version,
            ["Status"] = Name(m.Status),
            ["Type"] = Name(m.Intake.Type),
            ["Urgency"] = Name(m.Intake.Urgency),
            ["Category"] = m.Intake.Category,
            ["ReceivedAt"] = m.Intake.ReceivedAt,
            ["Supervised"] = m.Supervised,
            ["Title"] = m.Intake.Title.Length > 200 ? m.Intake.Title[..200] : m.Intake.Title,
        };
        var active = m.Supervision.Where(s => s.LiftedAt is null).ToArray();
        foreach (var reason in active.GroupBy(s => s.Reason))
        {
            // One column per reason: "supervised for this reason" is then a server-side filter and pages stay exact.
            row[ReasonColumn(reason.Key)] = true;
            row[ReasonColumn(reason.Key) + "Since"] = reason.Min(s => s.Since);
        }
        if (active.Length > 0) row["SupervisedSince"] = active.Min(s => s.Since);
        if (MatterAlarms.Next(m) is { } next) row["NextDeadline"] = next.At;
        if (m.ReturnVisits.LastOrDefault() is { } visit) row["ReturnVisitSolved"] = visit.Solved;
        if (m.Intake.Location.District is { } district) row["District"] = district;
        if (m.Intake.Location is { Lat: { } lat, Lon: { } lon })
        {
            row["Lat"] = lat;
            row["Lon"] = lon;
        }
        if (DuplicateFinder.AddressKey(m.Intake.Location.Address) is { Length: > 0 } addressKey) row["AddressKey"] = addressKey;
        row["CitizenKey"] = DuplicateFinder.CitizenKey(m.Intake.Citizen.Phone);
        if (m.Organizer is { } organizer) row["Organizer"] = organizer;
        if (m.Deadlines.SignBy is { } signBy) row["SignBy"] = signBy;
        if (m.Deadlines.DueBy is { } dueBy) row["DueBy"] = dueBy;
        if (m.ClosedAt is { } closedAt) row["ClosedAt"] = closedAt;
        if (!m.UncoveredCalendarYears.IsEmpty) row["ProvisionalYears"] = string.Join(",", m.UncoveredCalendarYears);
        LongTermColumns(m, row);
        return row;
    }

    private static MatterSummary FromRow(TableEntity e) => new(
        e.RowKey,
        e.GetInt32("Version") ?? 0,
        Parse<MatterStatus>(e.GetString("Status")),
        Parse<MatterType>(e.GetString("Type")),
        Parse<Urgency>(e.GetString("Urgency")),
        e.GetString("Category") ?? "",
        e.GetString("District"),
        e.GetString("Organizer"),
        ChinaTime.ToChina(e.GetDateTimeOffset("ReceivedAt") ?? default),
        ToChina(e.GetDateTimeOffset("SignBy")),
        ToChina(e.GetDateTimeOffset("DueBy")),
        e.GetBoolean("Supervised") ?? false,
        ToChina(e.GetDateTimeOffset("ClosedAt")),
        e.GetString("Title") ?? "",
        [.. Enum.GetValues<SupervisionReason>().Where(r => e.GetBoolean(ReasonColumn(r)) == true)
            .Select(r => new SupervisionSummary(r, ToChina(e.GetDateTimeOffset(ReasonColumn(r) + "Since")) ?? default))],
        ToChina(e.GetDateTimeOffset("SupervisedSince")),
        ToChina(e.GetDateTimeOffset("NextDeadline")),
        e.GetBoolean("ReturnVisitSolved"));

    public static string ReasonColumn(SupervisionReason reason) => "Sup" + reason;

    private static DateTimeOffset? ToChina(DateTimeOffset? t) => t is { } v ? ChinaTime.ToChina(v) : null;

    private static string Month(DateTimeOffset t) => ChinaTime.ToChina(t).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static T Parse<T>(string? value) where T : struct, Enum => Enum.Parse<T>(value ?? throw new FormatException("Missing enum value."), ignoreCase: true);
}
