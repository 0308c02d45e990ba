using Azure;
using Azure.Data.Tables;

namespace Hotline.Runtime.Projections;

/// <summary>
/// The supervision index (table <c>Supervision</c>): a copy of the index row of every matter under supervision now,
/// under the same keys, and no row for any other matter, so the supervision list reads rows sized by its answer
/// rather than every matter (issue 13). It follows the index row: added when a matter becomes supervised, replaced
/// when it changes, removed when supervision is lifted. A row is never replaced by an older version; a removal leaves
/// nothing to compare with, so a writer that was overtaken while writing looks at the index row afterwards and, if it
/// has moved on, brings the supervision row to that newer row.
/// </summary>
public sealed partial class MatterIndex
{
    private const int SupervisionAttempts = 8;

    private async Task ProjectSupervisionAsync(TableEntity row, int version, bool rewrite, CancellationToken cancellationToken)
    {
        if (supervision is null) return;
        var source = row;
        for (var attempt = 0; attempt < SupervisionAttempts; attempt++)
        {
            try
            {
                await WriteSupervisionAsync(source, version, rewrite, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // Another runner wrote or removed the row meanwhile; look again.
                continue;
            }
            var now = await index.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!now.HasValue || (now.Value!.GetInt32("Version") ?? 0) <= version) return;
            source = Copy(now.Value);
            version = now.Value.GetInt32("Version") ?? 0;
            rewrite = false;
        }
        throw new InvalidOperationException($"Could not project the supervision row of matter {row.RowKey}: it kept changing.");
    }

    /// <summary>Brings the supervision row to the index row <paramref name="source"/> of version <paramref name="version"/>, unless it shows a newer one.</summary>
    private async Task WriteSupervisionAsync(TableEntity source, int version, bool rewrite, CancellationToken cancellationToken)
    {
        var existing = await supervision!.GetEntityIfExistsAsync<TableEntity>(source.PartitionKey, source.RowKey, ["Version"], cancellationToken).ConfigureAwait(false);
        var existingVersion = existing.HasValue ? existing.Value!.GetInt32("Version") ?? 0 : (int?)null;
        if (existingVersion > version) return;
        if (source.GetBoolean("Supervised") == true)
        {
            if (existingVersion is null)
            {
                await supervision.AddEntityAsync(source, cancellationToken).ConfigureAwait(false);
            }
            else if (existingVersion < version || rewrite)
            {
                await supervision.UpdateEntityAsync(source, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (existingVersion is not null)
        {
            await supervision.DeleteEntityAsync(source.PartitionKey, source.RowKey, existing.Value!.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The row's columns without the service's own (timestamp, ETag), to be written elsewhere.</summary>
    private static TableEntity Copy(TableEntity row)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (key, value) in row)
        {
            if (key is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") continue;
            copy[key] = value;
        }
        return copy;
    }
}
