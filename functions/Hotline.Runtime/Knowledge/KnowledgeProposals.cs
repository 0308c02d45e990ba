using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Knowledge;

public enum ProposalStatus { Pending, Approved, Refused }

/// <summary>
/// An organizer unit's proposal for the knowledge base (Weifang 9(2), 31(2); Fujian 11(3)): a new article, or a new
/// content for one of its own articles (<see cref="ArticleId"/>) written from the version it read
/// (<see cref="BaseVersion"/>). Nothing is published until the platform approves it.
/// </summary>
/// <param name="Article">The article published on approval (new or updated), with the version it got.</param>
public sealed record KnowledgeProposal(
    string Id,
    string Organizer,
    string? ArticleId,
    int? BaseVersion,
    KnowledgeDraft Draft,
    string? Note,
    DateTimeOffset ProposedAt,
    ProposalStatus Status,
    DateTimeOffset? DecidedAt = null,
    string? DecidedBy = null,
    string? Reason = null,
    string? PublishedArticleId = null,
    int? PublishedVersion = null)
{
    /// <summary>The id a new article gets when this proposal is approved: fixed, so two approvals cannot publish it twice.</summary>
    [JsonIgnore]
    public string NewArticleId => "kb-" + Id[3..];
}

public sealed record ProposalPage(IReadOnlyList<KnowledgeProposal> Items, string? ContinuationToken);

/// <summary>
/// The proposals (table <c>KnowledgeProposals</c>), all in one partition so a decision and its queue bookkeeping
/// commit in one transaction: a row per proposal (<c>p-{id}</c>), a marker per pending proposal keyed by when it was
/// made (<c>q-{ticks}-{id}</c>, the workbench queue, oldest first) and a row per proposal in its unit's list
/// (<c>u-{unit}|{inverted ticks}-{id}</c>, newest first; '|' is in no unit id). Listing reads only the markers or the unit's rows.
/// </summary>
public sealed class KnowledgeProposals(TableClient table, TimeProvider clock)
{
    private const string Partition = "proposals";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public TableClient Table => table;

    public static bool ValidId(string? id) => id is { Length: 15 } && id.StartsWith("kp-", StringComparison.Ordinal) && id[3..].All(char.IsAsciiHexDigitLower);

    /// <summary>Records a pending proposal (the draft already checked by the caller).</summary>
    public async Task<KnowledgeProposal> ProposeAsync(string organizer, string? articleId, int? baseVersion, KnowledgeDraft draft, string? note, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var proposal = new KnowledgeProposal("kp-" + Guid.NewGuid().ToString("N")[..12], organizer, articleId, baseVersion, draft, note, now, ProposalStatus.Pending);
        await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, ToRow(proposal)),
            new(TableTransactionActionType.Add, Marker(proposal)),
            new(TableTransactionActionType.Add, new TableEntity(Partition, UnitKey(proposal)) { ["Id"] = proposal.Id }),
        ], cancellationToken).ConfigureAwait(false);
        return proposal;
    }

    public async Task<(KnowledgeProposal Proposal, ETag ETag)?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ValidId(id)) return null;
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, "p-" + id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (FromRow(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>The pending proposals, oldest first.</summary>
    public Task<ProposalPage> PendingAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        PageAsync("q-", pageSize, continuationToken, cancellationToken);

    /// <summary>A unit's own proposals, newest first.</summary>
    public Task<ProposalPage> OfUnitAsync(string organizer, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        PageAsync("u-" + organizer + "|", pageSize, continuationToken, cancellationToken);

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        var n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(RangeFilter("q-"), 1000, ["RowKey"], cancellationToken).ConfigureAwait(false)) n++;
        return n;
    }

    /// <summary>
    /// Records the decision on a proposal still pending as read (<paramref name="etag"/>) and takes it off the queue,
    /// in one transaction; false when someone decided it meanwhile.
    /// </summary>
    public async Task<KnowledgeProposal?> DecideAsync(KnowledgeProposal proposal, ETag etag, bool approve, string by, string? reason, KnowledgeArticle? published,
        CancellationToken cancellationToken = default)
    {
        var decided = proposal with
        {
            Status = approve ? ProposalStatus.Approved : ProposalStatus.Refused,
            DecidedAt = clock.GetUtcNow(),
            DecidedBy = by,
            Reason = reason,
            PublishedArticleId = published?.Id,
            PublishedVersion = published?.Version,
        };
        try
        {
            await table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.UpdateReplace, ToRow(decided), etag),
                new(TableTransactionActionType.Delete, Marker(proposal), ETag.All),
            ], cancellationToken).ConfigureAwait(false);
            return decided;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    private async Task<ProposalPage> PageAsync(string prefix, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var page = await table.QueryPageAsync(RangeFilter(prefix), top: Math.Clamp(pageSize, 1, 100), continuation: Projections.MatterIndex.DecodeToken(continuationToken),
            select: ["RowKey", "Id"], cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = new List<KnowledgeProposal>();
        foreach (var marker in page.Entities)
        {
            if (await GetAsync(marker.GetString("Id") ?? "", cancellationToken).ConfigureAwait(false) is { } found) items.Add(found.Proposal);
        }
        var next = page.ContinuationToken;
        // The service's token is "{partition} {row}": a token past this prefix's range means the list ended.
        if (next is not null && !(next.Split(' ') is [_, var row, ..] && row.StartsWith(prefix, StringComparison.Ordinal))) next = null;
        return new ProposalPage(items, Projections.MatterIndex.EncodeToken(next));
    }

    // The prefix's range: '~' sorts after every character a key holds here.
    private static string RangeFilter(string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {prefix} and RowKey lt {prefix + "~"}");

    private static TableEntity Marker(KnowledgeProposal p) =>
        new(Partition, "q-" + p.ProposedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + p.Id) { ["Id"] = p.Id };

    private static string UnitKey(KnowledgeProposal p) =>
        "u-" + p.Organizer + "|" + (DateTimeOffset.MaxValue.UtcTicks - p.ProposedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + p.Id;

    private static TableEntity ToRow(KnowledgeProposal p) => new(Partition, "p-" + p.Id)
    {
        ["Id"] = p.Id,
        ["Status"] = p.Status.ToString(),
        ["Data"] = JsonSerializer.Serialize(p, Json),
    };

    private static KnowledgeProposal FromRow(TableEntity e) =>
        JsonSerializer.Deserialize<KnowledgeProposal>(e.GetString("Data") ?? "null", Json) ?? throw new InvalidDataException($"Proposal row {e.RowKey} holds no proposal.");
}
