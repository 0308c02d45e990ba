using System.Text.Json;
using Azure;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.Runtime.Organizers;

/// <summary>The directory and routing in force, with the versions an update must match.</summary>
public sealed record DirectorySnapshot(OrganizerDirectory Directory, RoutingTable Routing, ETag DirectoryVersion, ETag RoutingVersion);

/// <summary>Someone else changed the document since it was read.</summary>
public sealed class StaleVersionException(string what) : Exception($"The {what} changed since it was read; reload and apply the change again.");

/// <summary>
/// The organizer directory and routing rules as staff manage them: two JSON documents in table <c>Settings</c>,
/// seeded from the data files the first time, changed under their ETags. Each host keeps the latest snapshot in
/// memory and refreshes it periodically, so an update made on one host reaches the others within the interval
/// (an SMS to a unit added meanwhile fails once and is retried).
/// </summary>
public sealed class DirectoryStore(TableClient settings, OrganizerDirectory seedDirectory, RoutingTable seedRouting)
{
    private const string Partition = "directory";
    private const string OrganizersRow = "organizers";
    private const string RoutingRow = "routing";

    private volatile DirectorySnapshot _current = new(seedDirectory, seedRouting, default, default);

    public DirectorySnapshot Current => _current;

    public OrganizerDirectory Directory => _current.Directory;

    public RoutingTable Routing => _current.Routing;

    /// <summary>Reads the stored documents, writing the seeds first where none exist yet.</summary>
    public async Task<DirectorySnapshot> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var (units, unitsVersion) = await ReadOrSeedAsync(OrganizersRow, seedDirectory.All.ToArray(), cancellationToken).ConfigureAwait(false);
        var (routing, routingVersion) = await ReadOrSeedAsync(RoutingRow, seedRouting, cancellationToken).ConfigureAwait(false);
        var snapshot = new DirectorySnapshot(new OrganizerDirectory(units), routing, unitsVersion, routingVersion);
        _current = snapshot;
        return snapshot;
    }

    /// <summary>Adds or replaces one unit, if the directory is still at <paramref name="expected"/>.</summary>
    public async Task<DirectorySnapshot> SaveUnitAsync(OrganizerUnit unit, ETag expected, CancellationToken cancellationToken = default)
    {
        var current = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (expected != default && expected != current.DirectoryVersion) throw new StaleVersionException("organizer directory");
        var units = current.Directory.All.Where(u => u.Id != unit.Id).Append(unit).OrderBy(u => u.Id, StringComparer.Ordinal).ToArray();
        var directory = new OrganizerDirectory(units); // validates
        current.Routing.Validate(directory);
        await WriteAsync(OrganizersRow, units, current.DirectoryVersion, "organizer directory", cancellationToken).ConfigureAwait(false);
        return await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the routing table, if it is still at <paramref name="expected"/>.</summary>
    public async Task<DirectorySnapshot> SaveRoutingAsync(RoutingTable routing, ETag expected, CancellationToken cancellationToken = default)
    {
        var current = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (expected != default && expected != current.RoutingVersion) throw new StaleVersionException("routing table");
        routing.Validate(current.Directory);
        await WriteAsync(RoutingRow, routing, current.RoutingVersion, "routing table", cancellationToken).ConfigureAwait(false);
        return await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(T Value, ETag Version)> ReadOrSeedAsync<T>(string row, T seed, CancellationToken cancellationToken)
    {
        var stored = await settings.GetEntityIfExistsAsync<TableEntity>(Partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (stored.HasValue)
        {
            return (JsonSerializer.Deserialize<T>(JsonColumns.Read(stored.Value!, "Json"), HotlineJson.Options)!, stored.Value!.ETag);
        }
        var entity = new TableEntity(Partition, row);
        JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(seed, HotlineJson.Options));
        try
        {
            var etag = await settings.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return (seed, etag.NewETag());
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Another host seeded it a moment ago.
            return await ReadOrSeedAsync(row, seed, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync<T>(string row, T value, ETag expected, string what, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, row);
        JsonColumns.Write(entity, "Json", JsonSerializer.Serialize(value, HotlineJson.Options));
        try
        {
            await settings.UpdateEntityAsync(entity, expected, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            throw new StaleVersionException(what);
        }
    }
}
