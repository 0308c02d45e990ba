using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;

namespace Hotline.Runtime.Projections;

/// <summary>
/// What the duplicate search and the <see cref="DuplicateIndex"/> need of a matter's intake: the instant, the category,
/// the coordinates and the address and citizen keys, which are hashes. It travels as the payload of the matter's
/// <c>duplicates</c> effect, so it holds no address or phone number in the clear.
/// </summary>
public sealed record DuplicateProbe(DateTimeOffset ReceivedAt, string Category, double? Lat, double? Lon, string? AddressKey, string? CitizenKey)
{
    public static DuplicateProbe Of(Intake intake)
    {
        ArgumentNullException.ThrowIfNull(intake);
        var located = intake.Location is { Lat: { } lat, Lon: { } lon } && double.IsFinite(lat) && double.IsFinite(lon);
        return new DuplicateProbe(intake.ReceivedAt, intake.Category, located ? intake.Location.Lat : null, located ? intake.Location.Lon : null,
            DuplicateIndex.AddressKey(intake.Category, intake.Location.Address), DuplicateIndex.CitizenKey(intake.Citizen.Phone));
    }
}

/// <summary>
/// The keys the duplicate search looks a new matter up by (table <c>DuplicateKeys</c>), so that the search reads only
/// rows that share a key with it, however many matters the system holds. A matter has up to three keys, taken from
/// its intake (which never changes): its category and place cell (the coordinates on a grid of
/// <see cref="CellDegrees"/>), its category and address, and its citizen. Each key is partitioned by the CST day the
/// matter was received: partition <c>{key}|{yyyyMMdd}</c>, row the matter id. A key's days sort next to each other,
/// so the last N days of one key are one narrow range of partitions, read with one query. Addresses and phone numbers
/// appear only hashed (the phone as <see cref="DuplicateFinder.CitizenKey"/>, as in the staff index).
/// </summary>
public sealed class DuplicateIndex(TableClient keys)
{
    /// <summary>The place grid: 0.01° is about 1.1 km north-south (and 1 km east-west in southern China).</summary>
    public const double CellDegrees = 0.01;

    /// <summary>One key of a matter, with the columns the search needs to decide without loading the matter.</summary>
    public sealed record Key(string Prefix, double? Lat = null, double? Lon = null);

    /// <summary>
    /// Writes a matter's keys. Idempotent (an upsert of the same row), so a projection retried after a crash, or a
    /// rebuild, may write them again.
    /// </summary>
    public Task WriteAsync(string matterId, Intake intake, CancellationToken cancellationToken = default) =>
        WriteAsync(matterId, DuplicateProbe.Of(intake), cancellationToken);

    /// <inheritdoc cref="WriteAsync(string, Intake, CancellationToken)"/>
    public async Task WriteAsync(string matterId, DuplicateProbe probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var day = Day(probe.ReceivedAt);
        // Each key is its own partition: no transaction can hold them, and none is needed (each write is an idempotent upsert).
        await Task.WhenAll(KeysOf(probe).Select(key =>
        {
            var row = new TableEntity(key.Prefix + "|" + day, matterId) { ["ReceivedAt"] = probe.ReceivedAt };
            if (key.Lat is { } lat && key.Lon is { } lon)
            {
                row["Lat"] = lat;
                row["Lon"] = lon;
            }
            return keys.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows of one key for matters received within [from, to]: one query over the key's day partitions (a narrow
    /// range, since the day is the partition's last part), whose size is the number of matters sharing the key.
    /// </summary>
    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string prefix, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {prefix + "|" + Day(from)} and PartitionKey le {prefix + "|" + Day(to)} and ReceivedAt ge {from} and ReceivedAt le {to}");
        var rows = new List<TableEntity>();
        await foreach (var row in keys.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The keys a matter is written under: a place key only with coordinates, an address key only with an address, a citizen key only with a phone.</summary>
    public static IReadOnlyList<Key> KeysOf(DuplicateProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var result = new List<Key>(3);
        if (probe is { Lat: { } lat, Lon: { } lon })
        {
            result.Add(new Key(PlaceKey(probe.Category, Cell(lat), Cell(lon)), lat, lon));
        }
        if (probe.AddressKey is { } address) result.Add(new Key(address));
        if (probe.CitizenKey is { } citizen) result.Add(new Key(citizen));
        return result;
    }

    /// <summary>
    /// The place keys whose cells the circle of <paramref name="radiusMeters"/> around a point touches: the cells
    /// that meet the circle's bounding box (widened a little against rounding), so usually one to four.
    /// </summary>
    public static IReadOnlyList<string> PlaceKeysAround(string category, double lat, double lon, double radiusMeters)
    {
        const double MetersPerDegree = 6_371_000 * Math.PI / 180;
        var dLat = radiusMeters * 1.01 / MetersPerDegree;
        var farthest = Math.Min(89.9, Math.Max(Math.Abs(lat - dLat), Math.Abs(lat + dLat)));
        var dLon = dLat / Math.Cos(farthest * Math.PI / 180);
        var result = new List<string>();
        for (var y = Cell(lat - dLat); y <= Cell(lat + dLat); y++)
        {
            for (var x = Cell(lon - dLon); x <= Cell(lon + dLon); x++) result.Add(PlaceKey(category, y, x));
        }
        return result;
    }

    public static string? AddressKey(string category, string? address) =>
        DuplicateFinder.AddressKey(address) is { Length: > 0 } normal ? "address|" + Hash(category + "\n" + normal) : null;

    /// <summary>Citizens who left no phone are not one citizen: only a phone number ties matters together.</summary>
    public static string? CitizenKey(string phone) =>
        phone.Any(char.IsAsciiDigit) ? "citizen|" + DuplicateFinder.CitizenKey(phone) : null;

    public static long Cell(double degrees) => (long)Math.Floor(degrees / CellDegrees);

    private static string PlaceKey(string category, long latCell, long lonCell) =>
        string.Create(CultureInfo.InvariantCulture, $"place|{Uri.EscapeDataString(category)}|{latCell}|{lonCell}");

    private static string Day(DateTimeOffset t) => ChinaTime.ToChina(t).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    // The category is free text: hashed with the address, the key stays short and holds no character a key may not.
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hotline-address:" + text)))[..32];
}
