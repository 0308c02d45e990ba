using System.Globalization;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.Runtime.Knowledge;

/// <summary>
/// The knowledge base: articles in one partition of the Knowledge table (row per article, JSON plus a few plain
/// columns), a catalog row whose ETag changes with every write, and an in-memory search index.
/// <para>
/// Why in memory: Table Storage has no text search, and the corpus is thousands of articles of a few kilobytes, a
/// few megabytes in all, so each instance can hold the whole index and rank in microseconds. Why the catalog row:
/// every write commits it in the same entity-group transaction as the article, so one point read of its ETag tells
/// a search whether any instance has changed anything since the index was built. Edits show up in search at once,
/// on every instance, at the price of one small read per search and a full reload only after a change.
/// </para>
/// <para>
/// Who may edit: platform staff any article; an organizer unit only the articles it owns, and only keeping itself
/// as owner, so organizers can keep their own answers current (Weifang 9, 31) without touching others'.
/// </para>
/// </summary>
public sealed class KnowledgeBase : IDisposable
{
    public const string Partition = "article";

    // '~' is not an id character and sorts after every id, so the catalog row never collides with or precedes an article.
    private const string CatalogRow = "~catalog";
    private const string SeedEditor = "system:seed";
    private const int TableBatchLimit = 100;

    private readonly TableClient _table;
    private readonly Func<OrganizerDirectory> _directory;
    private readonly TimeProvider _clock;
    private readonly KnowledgeSeed _seed;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private Snapshot? _snapshot;

    private sealed record Snapshot(ETag Catalog, KnowledgeIndex Index);

    /// <param name="directory">The organizer units as they are now: units come and go while the process runs.</param>
    public KnowledgeBase(TableClient table, Func<OrganizerDirectory> directory, TimeProvider clock, KnowledgeSeed? seed = null)
    {
        _table = table ?? throw new ArgumentNullException(nameof(table));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _seed = seed ?? KnowledgeSeed.Empty;
    }

    public KnowledgeAliases Aliases => _seed.Aliases;

    /// <summary>How an editor is recorded in <see cref="KnowledgeArticle.UpdatedBy"/>: "staff:dev-staff", "organizer:lanhai-water".</summary>
    public static string EditorName(Actor editor)
    {
        ArgumentNullException.ThrowIfNull(editor);
        return $"{editor.Kind.ToString().ToLowerInvariant()}:{editor.Id}";
    }

    /// <summary>The article as stored now (retired ones too), or null.</summary>
    public async Task<KnowledgeArticle?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!KnowledgeRules.ValidId(id)) return null;
        return (await LoadAsync(id, cancellationToken).ConfigureAwait(false))?.Article;
    }

    /// <summary>Current articles answering <paramref name="text"/>, best first.</summary>
    public async Task<KnowledgePage> SearchAsync(string text, string? category = null, int skip = 0, int take = 10, CancellationToken cancellationToken = default)
    {
        var query = KnowledgeQuery.Parse(text, _seed.Aliases);
        if (query.IsEmpty) return new KnowledgePage([], 0);
        return (await SnapshotAsync(cancellationToken).ConfigureAwait(false)).Index.Search(query, category, skip, take);
    }

    public async Task<KnowledgePage> ListAsync(string? category = null, bool includeRetired = false, int skip = 0, int take = 50, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken).ConfigureAwait(false)).Index.List(category, includeRetired, skip, take);

    public Task<KnowledgeOutcome> CreateAsync(KnowledgeDraft draft, Actor editor, CancellationToken cancellationToken = default) =>
        CreateAsync(draft, editor, null, cancellationToken);

    /// <summary>
    /// Creates the article under <paramref name="id"/> when given (an approved proposal names its article's id, so
    /// approving it twice cannot publish it twice: the second finds the id taken and gets the article as it is, stale).
    /// </summary>
    public async Task<KnowledgeOutcome> CreateAsync(KnowledgeDraft draft, Actor editor, string? id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(editor);
        draft = KnowledgeRules.Normalize(draft);
        // An organizer writing an article without naming an owner writes its own.
        if (editor.Kind == ActorKind.Organizer && draft.Owner is null) draft = draft with { Owner = editor.Id };
        var errors = KnowledgeRules.Validate(draft, _directory());
        if (errors.Count > 0) return KnowledgeOutcome.Invalid(errors);
        if (Denial(editor, null, draft.Owner) is { } denied) return KnowledgeOutcome.Fail(KnowledgeFailure.NotAllowed, denied);

        var now = _clock.GetUtcNow();
        var by = EditorName(editor);
        for (var attempt = 0; ; attempt++)
        {
            var article = Compose(id ?? NewId(), draft, 1, now, by, now, by);
            try
            {
                await CommitAsync(TableTransactionActionType.Add, article, default, by, now, cancellationToken).ConfigureAwait(false);
                return KnowledgeOutcome.Done(article);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && id is not null)
            {
                var taken = await LoadAsync(id, cancellationToken).ConfigureAwait(false);
                return KnowledgeOutcome.Fail(KnowledgeFailure.StaleVersion, $"Article {id} exists already.", taken?.Article);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && attempt < 2)
            {
                // A random id taken already: astronomically rare, and a new id is all it needs.
            }
        }
    }

    /// <summary>
    /// Replaces an article's content if it is still at <paramref name="expectedVersion"/>: two editors working from the
    /// same version cannot both win, and the loser learns the version that beat them.
    /// </summary>
    public async Task<KnowledgeOutcome> UpdateAsync(string id, int expectedVersion, KnowledgeDraft draft, Actor editor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(editor);
        draft = KnowledgeRules.Normalize(draft);
        var errors = KnowledgeRules.Validate(draft, _directory());
        if (errors.Count > 0) return KnowledgeOutcome.Invalid(errors);
        var stored = KnowledgeRules.ValidId(id) ? await LoadAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (stored is not { } current) return NotFound(id);
        if (Denial(editor, current.Article, draft.Owner) is { } denied) return KnowledgeOutcome.Fail(KnowledgeFailure.NotAllowed, denied);
        if (current.Article.Retired) return Retired(current.Article);
        if (current.Article.Version != expectedVersion) return Stale(current.Article, expectedVersion);

        var now = _clock.GetUtcNow();
        var by = EditorName(editor);
        var a = current.Article;
        var updated = Compose(a.Id, draft, a.Version + 1, a.CreatedAt, a.CreatedBy, now, by);
        return await CommitChangeAsync(updated, current.ETag, expectedVersion, by, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Retires an article: search no longer finds it, but it stays readable so answers that cited it remain traceable.
    /// Retiring a retired article changes nothing and succeeds, so a retried request is harmless.
    /// </summary>
    public async Task<KnowledgeOutcome> RetireAsync(string id, int? expectedVersion, Actor editor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(editor);
        var stored = KnowledgeRules.ValidId(id) ? await LoadAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (stored is not { } current) return NotFound(id);
        var a = current.Article;
        if (Denial(editor, a, a.Owner) is { } denied) return KnowledgeOutcome.Fail(KnowledgeFailure.NotAllowed, denied);
        if (a.Retired) return KnowledgeOutcome.Done(a);
        if (expectedVersion is { } expected && a.Version != expected) return Stale(a, expected);

        var now = _clock.GetUtcNow();
        var by = EditorName(editor);
        var retired = a with { Version = a.Version + 1, UpdatedAt = now, UpdatedBy = by, Retired = true, RetiredAt = now, RetiredBy = by };
        return await CommitChangeAsync(retired, current.ETag, expectedVersion ?? a.Version, by, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the seed file's articles into an empty knowledge base, all in one transaction per hundred, so a crash
    /// leaves either none or a whole batch; an instance that loses the race to another gets 409 and stops. Returns how
    /// many it wrote.
    /// </summary>
    /// <exception cref="FormatException">A seed article breaks the rules; the file must be fixed, not half loaded.</exception>
    public async Task<int> SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        if (_seed.Articles.Count == 0) return 0;
        var any = await _table.QueryPageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), ["RowKey"], top: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (any.Entities.Count > 0 || any.ContinuationToken is not null) return 0;

        var now = _clock.GetUtcNow();
        var articles = new List<KnowledgeArticle>();
        foreach (var seed in _seed.Articles)
        {
            var draft = KnowledgeRules.Normalize(seed.ToDraft());
            var errors = KnowledgeRules.Validate(draft, _directory());
            if (errors.Count > 0) throw new FormatException($"Seed article {seed.Id}: {string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}"))}");
            articles.Add(Compose(seed.Id, draft, 1, now, SeedEditor, now, SeedEditor));
        }
        var written = 0;
        foreach (var batch in articles.Chunk(TableBatchLimit - 1))
        {
            var actions = batch.Select(a => new TableTransactionAction(TableTransactionActionType.Add, Row(a))).Append(CatalogAction(SeedEditor, now));
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                written += batch.Length;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // Another instance seeded these first.
            }
        }
        return written;
    }

    private async Task<KnowledgeOutcome> CommitChangeAsync(KnowledgeArticle article, ETag etag, int expectedVersion, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync(TableTransactionActionType.UpdateReplace, article, etag, by, now, cancellationToken).ConfigureAwait(false);
            return KnowledgeOutcome.Done(article);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
        {
            // Another editor committed between our read and our write: report the version that won.
            var now2 = await LoadAsync(article.Id, cancellationToken).ConfigureAwait(false);
            return now2 is null ? NotFound(article.Id) : Stale(now2.Value.Article, expectedVersion);
        }
    }

    private async Task CommitAsync(TableTransactionActionType type, KnowledgeArticle article, ETag etag, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _table.SubmitTransactionAsync([new TableTransactionAction(type, Row(article), etag), CatalogAction(by, now)], cancellationToken).ConfigureAwait(false);
        // This instance need not wait for its own next search to notice.
        Volatile.Write(ref _snapshot, null);
    }

    private static TableTransactionAction CatalogAction(string by, DateTimeOffset now) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, CatalogRow) { ["ChangedAt"] = now, ["ChangedBy"] = by });

    private async Task<(KnowledgeArticle Article, ETag ETag)?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (Read(row.Value!), row.Value!.ETag) : null;
    }

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var catalog = await CatalogETagAsync(cancellationToken).ConfigureAwait(false);
        var current = Volatile.Read(ref _snapshot);
        if (current is not null && current.Catalog == catalog) return current;
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = Volatile.Read(ref _snapshot);
            if (current is not null && current.Catalog == catalog) return current;
            // The catalog ETag was read before the rows: a write landing in between leaves rows newer than the label,
            // so the next search sees a different ETag and reloads. The reverse (old rows, new label) cannot happen.
            var articles = new List<KnowledgeArticle>();
            await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.RowKey != CatalogRow) articles.Add(Read(row));
            }
            current = new Snapshot(catalog, new KnowledgeIndex(articles));
            Volatile.Write(ref _snapshot, current);
            return current;
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<ETag> CatalogETagAsync(CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, CatalogRow, ["ChangedAt"], cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.ETag : default;
    }

    private static string? Denial(Actor editor, KnowledgeArticle? existing, string? newOwner) => editor.Kind switch
    {
        ActorKind.Staff => null,
        ActorKind.Organizer when existing is not null && existing.Owner != editor.Id =>
            $"Article {existing.Id} is kept by {existing.Owner ?? "platform staff"}; an organizer unit keeps only its own articles.",
        ActorKind.Organizer when newOwner != editor.Id => "An organizer unit keeps only its own articles and cannot hand them to another unit.",
        ActorKind.Organizer => null,
        _ => "Only platform staff and the owner organizer unit keep the knowledge base.",
    };

    private static KnowledgeOutcome NotFound(string id) => KnowledgeOutcome.Fail(KnowledgeFailure.NotFound, $"There is no knowledge article {id}.");

    private static KnowledgeOutcome Retired(KnowledgeArticle a) =>
        KnowledgeOutcome.Fail(KnowledgeFailure.Retired, $"Article {a.Id} was retired by {a.RetiredBy} at {China(a.RetiredAt ?? a.UpdatedAt)}; write a new article instead.", a);

    private static KnowledgeOutcome Stale(KnowledgeArticle current, int expected) =>
        KnowledgeOutcome.Fail(KnowledgeFailure.StaleVersion,
            $"Article {current.Id} is at version {current.Version}, not {expected}: {current.UpdatedBy} changed it at {China(current.UpdatedAt)}. Read it again and redo your change.", current);

    private static KnowledgeArticle Compose(string id, KnowledgeDraft d, int version, DateTimeOffset createdAt, string createdBy, DateTimeOffset updatedAt, string updatedBy) =>
        new(id, d.Title, d.Questions.Distinct(StringComparer.Ordinal).ToArray(), d.Keywords.Distinct(StringComparer.Ordinal).ToArray(), d.Answer, d.AnswerEn,
            d.Category, d.Owner, version, createdAt, createdBy, updatedAt, updatedBy);

    private static string China(DateTimeOffset at) => ChinaTime.ToChina(at).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    private static string NewId() => "kb-" + Guid.NewGuid().ToString("N")[..12];

    private static TableEntity Row(KnowledgeArticle a)
    {
        // Plain columns beside the JSON let operators filter in Storage Explorer without parsing it.
        var row = new TableEntity(Partition, a.Id) { ["Version"] = a.Version, ["Retired"] = a.Retired, ["Category"] = a.Category, ["Owner"] = a.Owner };
        JsonColumns.Write(row, "Json", JsonSerializer.Serialize(a, HotlineJson.Options));
        return row;
    }

    private static KnowledgeArticle Read(TableEntity row) =>
        JsonSerializer.Deserialize<KnowledgeArticle>(JsonColumns.Read(row, "Json"), HotlineJson.Options)
        ?? throw new InvalidOperationException($"Knowledge row {row.RowKey} has no article.");

    public void Dispose() => _reload.Dispose();
}
