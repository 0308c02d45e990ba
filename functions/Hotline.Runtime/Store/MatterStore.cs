using System.Globalization;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Effects;
using Azure.Data.Tables;

namespace Hotline.Runtime.Store;

/// <summary>A matter as stored, with the ETag its next change must match.</summary>
public sealed record StoredMatter(Matter State, ETag ETag);

/// <summary>
/// Another writer changed (or created) the matter first; reload and decide again. <see cref="Status"/> and
/// <see cref="ErrorCode"/> are the service's (412 UpdateConditionNotSatisfied, 409 EntityAlreadyExists, 404).
/// </summary>
public sealed class MatterConflictException(string matterId, RequestFailedException inner)
    : Exception($"Matter {matterId} was changed by another writer ({inner.Status} {inner.ErrorCode}).", inner)
{
    public int Status => inner.Status;

    public string? ErrorCode => inner.ErrorCode;
}

/// <summary>
/// The matters table. Each matter is one partition: row <c>state</c> (the folded state, as JSON), rows
/// <c>event-{version}</c> (the history) and rows <c>effect-{version}-{n}</c> (effects not yet executed). A change
/// writes all of them in one entity-group transaction, guarded by the state row's ETag, so state, history and
/// effects can never disagree.
/// </summary>
public sealed class MatterStore(TableClient matters)
{
    private const string StateRow = "state";
    private const string EventPrefix = "event-";
    private const string EffectPrefix = "effect-";

    public async Task<StoredMatter?> LoadAsync(string matterId, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(matterId, "PartitionKey");
        var row = await matters.GetEntityIfExistsAsync<TableEntity>(matterId, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue) return null;
        var state = JsonSerializer.Deserialize<Matter>(JsonColumns.Read(row.Value!, "Json"), HotlineJson.Options)
            ?? throw new InvalidOperationException($"Matter {matterId} has an empty state row.");
        return new StoredMatter(state, row.Value!.ETag);
    }

    public async Task<IReadOnlyList<MatterEvent>> EventsAsync(string matterId, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(matterId, "PartitionKey");
        var events = new List<MatterEvent>();
        await foreach (var row in matters.QueryAsync<TableEntity>(RowRange(matterId, EventPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(JsonSerializer.Deserialize<MatterEvent>(JsonColumns.Read(row, "Json"), HotlineJson.Options)!);
        }
        return events;
    }

    /// <summary>
    /// Commits a change: the new state, its events (numbered by the versions they lead to) and its effects.
    /// <paramref name="expected"/> is the ETag the state was loaded with, or null for a new matter.
    /// </summary>
    /// <exception cref="MatterConflictException">The matter changed (or appeared) since it was loaded.</exception>
    public async Task<ETag> CommitAsync(ETag? expected, Matter state, IReadOnlyList<MatterEvent> events, IReadOnlyList<EffectDraft> effects,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var id = state.Id;
        TableKeys.Validate(id, "PartitionKey");
        var stateRow = new TableEntity(id, StateRow)
        {
            ["Version"] = state.Version,
            ["Status"] = JsonNamingPolicy.CamelCase.ConvertName(state.Status.ToString()),
        };
        JsonColumns.Write(stateRow, "Json", JsonSerializer.Serialize(state, HotlineJson.Options));
        var actions = new List<TableTransactionAction>
        {
            expected is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateRow, etag)
                : new TableTransactionAction(TableTransactionActionType.Add, stateRow),
        };

        var firstVersion = state.Version - events.Count + 1;
        for (var i = 0; i < events.Count; i++)
        {
            var row = new TableEntity(id, EventRow(firstVersion + i));
            JsonColumns.Write(row, "Json", JsonSerializer.Serialize(events[i], HotlineJson.Options));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
        }
        for (var n = 0; n < effects.Count; n++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, EffectPrefix + EffectId(state.Version, n))
            {
                ["Kind"] = effects[n].Kind,
                ["Payload"] = effects[n].Payload,
                ["Attempts"] = 0,
                ["NotBefore"] = now,
            }));
        }

        try
        {
            var results = await matters.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return results.Value[0].NewETag();
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // 409 EntityAlreadyExists: the matter (or a row of this version) exists already; 412 UpdateConditionNotSatisfied
            // or 404: the state row moved on. The SDK's TableTransactionFailedException says which action failed.
            throw new MatterConflictException(id, ex);
        }
    }

    public async Task<IReadOnlyList<PendingEffect>> PendingEffectsAsync(string matterId, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(matterId, "PartitionKey");
        var effects = new List<PendingEffect>();
        await foreach (var row in matters.QueryAsync<TableEntity>(RowRange(matterId, EffectPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            effects.Add(EffectOf(matterId, row));
        }
        return effects;
    }

    /// <summary>
    /// The pending effects and the history together, in one query: the effect runner needs both (the projection
    /// derives from the history), and <c>effect-</c> and <c>event-</c> rows sort next to each other.
    /// </summary>
    public async Task<(IReadOnlyList<PendingEffect> Effects, IReadOnlyList<MatterEvent> History)> PendingEffectsWithHistoryAsync(string matterId,
        CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(matterId, "PartitionKey");
        var effects = new List<PendingEffect>();
        var events = new List<MatterEvent>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {matterId} and RowKey ge {EffectPrefix} and RowKey lt {EventPrefix[..^1] + (char)(EventPrefix[^1] + 1)}");
        await foreach (var row in matters.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(EffectPrefix, StringComparison.Ordinal)) effects.Add(EffectOf(matterId, row));
            else if (row.RowKey.StartsWith(EventPrefix, StringComparison.Ordinal))
                events.Add(JsonSerializer.Deserialize<MatterEvent>(JsonColumns.Read(row, "Json"), HotlineJson.Options)!);
        }
        return (effects, events);
    }

    private static PendingEffect EffectOf(string matterId, TableEntity row) =>
        new(matterId, row.RowKey[EffectPrefix.Length..], row.GetString("Kind")!, row.GetString("Payload")!,
            row.GetInt32("Attempts") ?? 0, row.GetDateTimeOffset("NotBefore") ?? DateTimeOffset.MinValue, row.GetString("LastError"), row.ETag)
        {
            FirstAttemptAt = row.GetDateTimeOffset("FirstAttemptAt"),
        };

    /// <summary>Removes executed effects. One that another runner already removed or retried is left alone.</summary>
    public async Task CompleteAsync(string matterId, IReadOnlyList<PendingEffect> done, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in done.Chunk(100))
        {
            var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(matterId, EffectPrefix + e.Id), e.ETag));
            try
            {
                await matters.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Another runner got there first for some of them; delete the rest one by one.
                foreach (var e in chunk)
                {
                    try { await matters.DeleteEntityAsync(matterId, EffectPrefix + e.Id, e.ETag, cancellationToken).ConfigureAwait(false); }
                    catch (RequestFailedException one) when (one.Status is 404 or 412) { }
                }
            }
        }
    }

    /// <summary>
    /// Stores when the first attempt of an effect began, before it runs; null when another runner changed the effect
    /// meanwhile (it is running it, or ran it).
    /// </summary>
    public async Task<PendingEffect?> MarkFirstAttemptAsync(PendingEffect effect, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await matters.UpdateEntityAsync(new TableEntity(effect.MatterId, EffectPrefix + effect.Id) { ["FirstAttemptAt"] = at },
                effect.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return effect with { ETag = response.NewETag(), FirstAttemptAt = at };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Records a failed attempt and when to try again.</summary>
    public async Task DeferAsync(PendingEffect effect, DateTimeOffset notBefore, string error, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(effect.MatterId, EffectPrefix + effect.Id)
        {
            ["Attempts"] = effect.Attempts + 1,
            ["NotBefore"] = notBefore,
            ["LastError"] = error.Length > 1000 ? error[..1000] : error,
        };
        try
        {
            await matters.UpdateEntityAsync(row, effect.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Another runner completed or retried it meanwhile.
        }
    }

    private static string EventRow(int version) => EventPrefix + version.ToString("D8", CultureInfo.InvariantCulture);

    private static string EffectId(int version, int n) =>
        version.ToString("D8", CultureInfo.InvariantCulture) + "-" + n.ToString("D2", CultureInfo.InvariantCulture);

    // Row keys of one kind in one partition: prefix ≤ RowKey < prefix with its last character incremented.
    private static string RowRange(string matterId, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {matterId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");
}
