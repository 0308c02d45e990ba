using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;

namespace Hotline.Storage.Tables;

/// <summary>How an update writes the row: merge into existing properties, or replace them all.</summary>
public enum TableUpdateMode
{
    /// <summary>Properties not sent are kept (MERGE).</summary>
    Merge,

    /// <summary>Properties not sent are removed (PUT).</summary>
    Replace,
}

/// <summary>What one operation of an entity-group transaction does.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails with 409 EntityAlreadyExists if the row exists.</summary>
    Add,

    /// <summary>Insert or merge, unconditionally.</summary>
    UpsertMerge,

    /// <summary>Insert or replace, unconditionally.</summary>
    UpsertReplace,

    /// <summary>Merge into an existing row, guarded by If-Match.</summary>
    UpdateMerge,

    /// <summary>Replace an existing row, guarded by If-Match.</summary>
    UpdateReplace,

    /// <summary>Delete an existing row, guarded by If-Match.</summary>
    Delete,
}

/// <summary>
/// One operation of a transaction. For updates and deletes the If-Match value is <paramref name="IfMatch"/>,
/// else the entity's own <see cref="TableEntity.ETag"/>, else <see cref="ETag.All"/> (unconditional).
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag IfMatch = default)
{
    internal ETag EffectiveIfMatch => IfMatch != default ? IfMatch : Entity.ETag != default ? Entity.ETag : ETag.All;
}

/// <summary>The outcome of one operation of a committed transaction; <see cref="ETag"/> is default for deletes.</summary>
public sealed record TableTransactionResult(int Index, TableTransactionAction Action, int Status, ETag ETag);

/// <summary>
/// An entity-group transaction was rejected: nothing in it was applied. <see cref="FailedIndex"/> tells
/// which operation the service refused (when it said so) and <see cref="RequestFailedException.Status"/>
/// / <see cref="RequestFailedException.ErrorCode"/> why (e.g. 409 EntityAlreadyExists, 412 UpdateConditionNotSatisfied).
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    internal TableTransactionFailedException(int status, string message, string? errorCode, int? failedIndex, TableTransactionAction? failedAction)
        : base(status, message, errorCode, null)
    {
        FailedIndex = failedIndex;
        FailedAction = failedAction;
    }

    /// <summary>Zero-based index of the operation that failed, when the service identified it.</summary>
    public int? FailedIndex { get; }

    /// <summary>The operation that failed, when the service identified it.</summary>
    public TableTransactionAction? FailedAction { get; }
}

/// <summary>
/// The $batch wire format ("Performing entity group transactions"): a multipart/mixed batch holding one
/// multipart/mixed changeset whose parts are application/http requests; the response mirrors it.
/// </summary>
internal static partial class TableBatchFormat
{
    public const int MaxOperations = 100;

    public static string Build(Uri tableUri, string tableName, IReadOnlyList<TableTransactionAction> actions, string batchBoundary, string changesetBoundary)
    {
        // Azurite locates boundaries with /--batch_\w+/ and /boundary=changeset_.../, hence these names,
        // and splits parts on "--changeset_x\r\n": CRLF everywhere.
        var sb = new StringBuilder();
        sb.Append("--").Append(batchBoundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var entity = action.Entity;
            var entityUri = TableClient.EntityUri(tableUri, tableName, entity.PartitionKey, entity.RowKey);
            var (method, uri, withBody, ifMatch) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", tableUri.AbsoluteUri + tableName, true, null),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUri.AbsoluteUri, true, null),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUri.AbsoluteUri, true, null),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUri.AbsoluteUri, true, action.EffectiveIfMatch.ToString()),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUri.AbsoluteUri, true, action.EffectiveIfMatch.ToString()),
                TableTransactionActionType.Delete => ("DELETE", entityUri.AbsoluteUri, false, action.EffectiveIfMatch.ToString()),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "Unknown transaction action."),
            };

            sb.Append("--").Append(changesetBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n")
                .Append("Content-ID: ").Append(i + 1).Append("\r\n\r\n")
                .Append(method).Append(' ').Append(uri).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is not null)
            {
                sb.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }
            if (withBody)
            {
                sb.Append("Prefer: return-no-content\r\n")
                    .Append("Content-Type: application/json\r\n\r\n")
                    .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append("\r\n");
            }
            else
            {
                sb.Append("\r\n");
            }
        }
        sb.Append("--").Append(changesetBoundary).Append("--\r\n")
            .Append("--").Append(batchBoundary).Append("--\r\n");
        return sb.ToString();
    }

    /// <summary>One application/http response found in the batch response body.</summary>
    public sealed record PartResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>
    /// Pulls every embedded HTTP response out of the body. Lenient on purpose: it only needs status
    /// lines, headers and bodies, whatever the boundary names and line endings (Azurite mixes them).
    /// </summary>
    public static List<PartResponse> Parse(string body)
    {
        var results = new List<PartResponse>();
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var status = StatusLine().Match(lines[i]);
            if (!status.Success)
            {
                continue;
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            i++;
            for (; i < lines.Length && lines[i].Trim().Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
                }
            }
            var content = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                content.Append(lines[i]).Append('\n');
            }
            i--;
            results.Add(new PartResponse(int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture), headers, content.ToString().Trim()));
        }
        return results;
    }

    /// <summary>Error code, message and failed index ("3:The specified entity already exists…") of a part.</summary>
    public static (string? Code, string Message, int? Index) ReadError(PartResponse part, int operationCount)
    {
        string? code = null;
        var message = part.Body;
        try
        {
            using var json = JsonDocument.Parse(part.Body);
            if (json.RootElement.TryGetProperty("odata.error", out var error))
            {
                code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                if (error.TryGetProperty("message", out var m))
                {
                    message = (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.GetString()) ?? "";
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: keep the raw body as the message.
        }

        int? index = null;
        var prefix = IndexPrefix().Match(message);
        if (prefix.Success && int.TryParse(prefix.Groups[1].Value, CultureInfo.InvariantCulture, out var fromMessage) && fromMessage < operationCount)
        {
            index = fromMessage;
            message = message[prefix.Length..];
        }
        else if (part.Headers.TryGetValue("Content-ID", out var contentId)
            && int.TryParse(contentId, CultureInfo.InvariantCulture, out var id) && id >= 1 && id <= operationCount)
        {
            index = id - 1;
        }
        return (code, message.Split('\n')[0].Trim(), index);
    }

    [GeneratedRegex(@"^HTTP/1\.[01] (\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
