using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Hotline.Storage.Pipeline;

namespace Hotline.Storage.Tables;

/// <summary>Where the next page of a query starts (x-ms-continuation-NextPartitionKey / NextRowKey).</summary>
public sealed record TableContinuationToken(string NextPartitionKey, string? NextRowKey);

/// <summary>One page of query results; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, TableContinuationToken? ContinuationToken);

/// <summary>
/// One table of the Table service over its REST protocol (OData v3 JSON). Every call validates keys and
/// names before sending, and throws <see cref="RequestFailedException"/> (status + x-ms-error-code) on
/// an unexpected response, after Azure.Core's retries.
/// </summary>
public sealed partial class TableClient
{
    private const string MinimalMetadata = "application/json;odata=minimalmetadata";
    private readonly HttpPipeline _pipeline;
    private readonly Uri _serviceUri;

    /// <summary>Creates a client for table <paramref name="tableName"/> (3–63 letters/digits, starting with a letter).</summary>
    public TableClient(StorageConnection connection, string tableName, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tableName);
        if (!TableNamePattern().IsMatch(tableName) || tableName.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{tableName}' is not a valid table name: 3-63 letters or digits, starting with a letter, not 'tables'.", nameof(tableName));
        }
        Name = tableName;
        _serviceUri = connection.TableEndpoint;
        _pipeline = StoragePipeline.Build(connection, StorageService.Table, options);
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>Creates the table; the value is true when it was created, false when it already existed.</summary>
    public async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, _serviceUri.Append("Tables"));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.SetUtf8Content(JsonSerializer.Serialize(new Dictionary<string, string> { ["TableName"] = Name }), "application/json");
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 201, 204, 409).ConfigureAwait(false);
        if (response.Status == 409 && StorageErrorParser.ErrorCode(response) != "TableAlreadyExists")
        {
            throw StorageErrorParser.CreateException(response);
        }
        return Response.FromValue(response.Status != 409, response);
    }

    /// <summary>Inserts a new row; 409 EntityAlreadyExists if it exists. Returns the new ETag.</summary>
    public async Task<Response<ETag>> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ValidateEntity(entity);
        using var message = CreateMessage(RequestMethod.Post, _serviceUri.Append(Name));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.SetContent(TableEntityJson.Serialize(entity), "application/json");
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 204, 201).ConfigureAwait(false);
        return Response.FromValue(response.Headers.ETag ?? default, response);
    }

    /// <summary>Inserts the row or, if it exists, merges into / replaces it, regardless of its ETag.</summary>
    public Task<Response<ETag>> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteEntityAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Updates an existing row only if its current ETag is <paramref name="ifMatch"/> (pass <see cref="ETag.All"/>
    /// to skip the check). A stale ETag throws 412 UpdateConditionNotSatisfied; a missing row 404.
    /// </summary>
    public Task<Response<ETag>> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs an ETag to match; pass ETag.All for an unconditional update.", nameof(ifMatch));
        }
        return WriteEntityAsync(entity, mode, ifMatch, cancellationToken);
    }

    private async Task<Response<ETag>> WriteEntityAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        ValidateEntity(entity);
        var method = mode == TableUpdateMode.Merge ? new RequestMethod("MERGE") : RequestMethod.Put;
        using var message = CreateMessage(method, EntityUri(_serviceUri, Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString());
        }
        message.SetContent(TableEntityJson.Serialize(entity), "application/json");
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 204).ConfigureAwait(false);
        return Response.FromValue(response.Headers.ETag ?? default, response);
    }

    /// <summary>
    /// Deletes a row if its ETag matches <paramref name="ifMatch"/> (default: any). A missing row is not an
    /// error (status 404 is returned) so deletes can be repeated; a stale ETag throws 412.
    /// </summary>
    public async Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(partitionKey, "PartitionKey");
        TableKeys.Validate(rowKey, "RowKey");
        using var message = CreateMessage(RequestMethod.Delete, EntityUri(_serviceUri, Name, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", (ifMatch == default ? ETag.All : ifMatch).ToString());
        return await _pipeline.SendExpectingAsync(message, cancellationToken, 204, 404).ConfigureAwait(false);
    }

    /// <summary>Reads one row; throws <see cref="RequestFailedException"/> 404 (ResourceNotFound) when it does not exist.</summary>
    public async Task<Response<TableEntity>> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var result = await GetEntityIfExistsAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return result.HasValue
            ? Response.FromValue(result.Value!, result.GetRawResponse())
            : throw StorageErrorParser.CreateException(result.GetRawResponse());
    }

    /// <summary>Reads one row; the result has no value (<see cref="NullableResponse{T}.HasValue"/> false) when the row does not exist.</summary>
    public async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(partitionKey, "PartitionKey");
        TableKeys.Validate(rowKey, "RowKey");
        var uri = EntityUri(_serviceUri, Name, partitionKey, rowKey);
        if (SelectClause(select) is { } selectClause)
        {
            uri = new Uri(uri.AbsoluteUri + "?$select=" + Uri.EscapeDataString(selectClause));
        }
        using var message = CreateMessage(RequestMethod.Get, uri);
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200, 404).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return new EntityResponse(null, response);
        }
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        return new EntityResponse(TableEntityJson.Deserialize(json.RootElement, response.Headers.ETag ?? default), response);
    }

    /// <summary>
    /// One page of rows matching <paramref name="filter"/> (build it with <see cref="TableFilter"/>), at most
    /// <paramref name="top"/> (≤ 1000) of them, starting at <paramref name="continuation"/>. With
    /// <paramref name="select"/>, PartitionKey and RowKey are always included. A page may be empty and
    /// still have a continuation token.
    /// </summary>
    public async Task<Response<TablePage>> QueryPageAsync(
        string? filter = null, IEnumerable<string>? select = null, int? top = null, TableContinuationToken? continuation = null, CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, "$top must be between 1 and 1000.");
        }
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            query.Add("$filter=" + Uri.EscapeDataString(filter));
        }
        if (SelectClause(select) is { } selectClause)
        {
            query.Add("$select=" + Uri.EscapeDataString(selectClause));
        }
        if (top is { } t)
        {
            query.Add("$top=" + t.ToString(CultureInfo.InvariantCulture));
        }
        if (continuation is not null)
        {
            query.Add("NextPartitionKey=" + Uri.EscapeDataString(continuation.NextPartitionKey));
            if (continuation.NextRowKey is not null)
            {
                query.Add("NextRowKey=" + Uri.EscapeDataString(continuation.NextRowKey));
            }
        }
        var uri = _serviceUri.Append(Name + "()" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        using var message = CreateMessage(RequestMethod.Get, uri);
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200).ConfigureAwait(false);

        var entities = new List<TableEntity>();
        using (var json = JsonDocument.Parse(response.Content.ToMemory()))
        {
            foreach (var row in json.RootElement.GetProperty("value").EnumerateArray())
            {
                entities.Add(TableEntityJson.Deserialize(row));
            }
        }
        TableContinuationToken? next = null;
        if (response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk) && !string.IsNullOrEmpty(nextPk))
        {
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk);
            next = new TableContinuationToken(nextPk, string.IsNullOrEmpty(nextRk) ? null : nextRk);
        }
        return Response.FromValue(new TablePage(entities, next), response);
    }

    /// <summary>Every row matching the filter, fetching pages of <paramref name="pageSize"/> as it goes.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null, IEnumerable<string>? select = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selected = select?.ToList();
        TableContinuationToken? continuation = null;
        do
        {
            TablePage page = await QueryPageAsync(filter, selected, pageSize, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// Applies 1–100 operations on one partition atomically (an entity-group transaction). Returns each
    /// operation's result in order; throws <see cref="TableTransactionFailedException"/> naming the failed
    /// operation when the service rejects any of them, in which case nothing was applied.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, over 100 operations, mixed partitions, a repeated row, or an invalid key (nothing is sent).</exception>
    public async Task<Response<IReadOnlyList<TableTransactionResult>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        if (list.Count is 0 or > TableBatchFormat.MaxOperations)
        {
            throw new ArgumentException($"A transaction holds 1 to {TableBatchFormat.MaxOperations} operations, not {list.Count}.", nameof(actions));
        }
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in list)
        {
            ArgumentNullException.ThrowIfNull(action?.Entity, nameof(actions));
            ValidateEntity(action.Entity);
            if (!string.Equals(action.Entity.PartitionKey, list[0].Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException("All operations of a transaction must share one PartitionKey.", nameof(actions));
            }
            if (!rows.Add(action.Entity.RowKey))
            {
                throw new ArgumentException($"RowKey '{action.Entity.RowKey}' appears twice; a transaction may touch each row once.", nameof(actions));
            }
        }

        var batchBoundary = "batch_" + Guid.NewGuid().ToString("D");
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("D");
        using var message = CreateMessage(RequestMethod.Post, _serviceUri.Append("$batch"));
        message.SetUtf8Content(TableBatchFormat.Build(_serviceUri, Name, list, batchBoundary, changesetBoundary), "multipart/mixed; boundary=" + batchBoundary);
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 202).ConfigureAwait(false);

        var parts = TableBatchFormat.Parse(Encoding.UTF8.GetString(response.Content.ToMemory().Span));
        var failure = parts.FirstOrDefault(p => p.Status >= 300);
        if (failure is not null || parts.Count != list.Count)
        {
            failure ??= new TableBatchFormat.PartResponse(response.Status, new Dictionary<string, string>(), $"Expected {list.Count} responses, got {parts.Count}.");
            var (code, reason, index) = TableBatchFormat.ReadError(failure, list.Count);
            var failedAction = index is { } i ? list[i] : null;
            var where = failedAction is null
                ? "an unidentified operation"
                : $"operation {index} ({failedAction.ActionType} {failedAction.Entity.PartitionKey}/{failedAction.Entity.RowKey})";
            throw new TableTransactionFailedException(
                failure.Status, $"Transaction on table {Name} failed at {where}: {failure.Status} {code}: {reason}", code, index, failedAction);
        }

        var results = list.Select((action, i) => new TableTransactionResult(
            i, action, parts[i].Status, parts[i].Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default)).ToList();
        return Response.FromValue<IReadOnlyList<TableTransactionResult>>(results, response);
    }

    /// <summary>
    /// The entity's address: table(PartitionKey='pk',RowKey='rk') with OData quotes doubled, then
    /// percent-encoded so that spaces, '%', quotes and non-ASCII survive the URL.
    /// </summary>
    internal static Uri EntityUri(Uri serviceUri, string tableName, string partitionKey, string rowKey) =>
        serviceUri.Append($"{tableName}(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}'," +
                          $"RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')");

    private HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = _pipeline.CreateMessage(method, uri);
        message.Request.Headers.SetValue("Accept", MinimalMetadata);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static string? SelectClause(IEnumerable<string>? select)
    {
        if (select is null)
        {
            return null;
        }
        var names = new List<string> { "PartitionKey", "RowKey" };
        foreach (var name in select)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not a property name.", nameof(select));
            }
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }
        return string.Join(',', names);
    }

    private static void ValidateEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.Validate(entity.PartitionKey, "PartitionKey");
        TableKeys.Validate(entity.RowKey, "RowKey");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();

    private sealed class EntityResponse(TableEntity? value, Response response) : NullableResponse<TableEntity>
    {
        public override bool HasValue => value is not null;

        public override TableEntity Value => value ?? throw new InvalidOperationException("The entity does not exist (404).");

        public override Response GetRawResponse() => response;
    }
}
