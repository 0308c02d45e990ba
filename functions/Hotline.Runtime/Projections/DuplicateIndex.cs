using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
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

/// <summary>One matter under one key: its id, when it was received and, for a place key, where.</summary>
public sealed record DuplicateEntry(string MatterId, DateTimeOffset ReceivedAt, double? Lat = null, double? Lon = null);

/// <summary>
/// The keys the duplicate search looks a new matter up by (table <c>DuplicateKeys</c>), so that the search reads only
/// rows that share a key with it, however many matters the system holds. A matter has up to three keys, taken from
/// its intake (which never changes): its category and place cell (the coordinates on a grid of
/// <see cref="CellDegrees"/>), its category and address, and its citizen. Addresses and phone numbers appear only
/// hashed (the phone as <see cref="DuplicateFinder.CitizenKey"/>, as in the staff index).
/// <para>
/// Each key has one row per <see cref="BucketDays"/> CST days (partition the key, row the first day, <c>yyyyMMdd|{key}</c>),
/// and each matter of those days is one property of it (<c>m{matter}</c> = received instant, and coordinates for a
/// place key). A matter's keys are written by merging its property in (an upsert: no read first, nothing for two
/// writers to collide on, and a repeat changes nothing), and a search reads the rows its window overlaps, two at most
/// for the default week, by point reads: the cheapest and steadiest read the Table service has (and the only one the
/// Azurite emulator answers from an index rather than a scan of the whole table). An entity holds at most
/// <see cref="MaxEntriesPerRow"/> properties: days that fill their row continue in rows <c>yyyyMMdd-1|{key}</c>,
/// <c>-2</c>…, which a reader follows only from a full row.
/// </para>
/// </summary>
public sealed class DuplicateIndex(TableClient keys)
{
    /// <summary>The place grid: 0.01° is about 1.1 km north-south (and 1 km east-west in southern China).</summary>
    public const double CellDegrees = 0.01;

    /// <summary>
    /// The days one row of a key covers: a week's window (the default <see cref="RuntimeOptions.DuplicateWindow"/>
    /// and a few minutes) overlaps at most two rows.
    /// </summary>
    public const int BucketDays = 8;

    /// <summary>The Table service's limit of properties per entity (255 with PartitionKey, RowKey and Timestamp).</summary>
    public const int MaxEntriesPerRow = 252;

    // A key whose days overflow this many rows is a flood no search needs all of; its writes fail and are retried.
    private const int MaxRowsPerBucket = 100;

    private const string EntryPrefix = "m";

    /// <summary>One key of a matter, with the columns the search needs to decide without loading the matter.</summary>
    public sealed record Key(string Prefix, double? Lat = null, double? Lon = null);

    /// <summary>
    /// Writes a matter's keys. Idempotent (the same property merged again), so a projection retried after a crash, or a
    /// rebuild, may write them again.
    /// </summary>
    public Task WriteAsync(string matterId, Intake intake, CancellationToken cancellationToken = default) =>
        WriteAsync(matterId, DuplicateProbe.Of(intake), cancellationToken);

    /// <inheritdoc cref="WriteAsync(string, Intake, CancellationToken)"/>
    public async Task WriteAsync(string matterId, DuplicateProbe probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var bucket = Bucket(probe.ReceivedAt);
        var property = EntryPrefix + EncodeId(matterId);
        // Each key is its own partition: no transaction can hold them, and none is needed (each write is an idempotent merge).
        await Task.WhenAll(KeysOf(probe).Select(async key =>
        {
            var value = key is { Lat: { } lat, Lon: { } lon }
                ? string.Create(CultureInfo.InvariantCulture, $"{probe.ReceivedAt.UtcTicks},{lat:R},{lon:R}")
                : probe.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture);
            for (var n = 0; ; n++)
            {
                try
                {
                    await keys.UpsertEntityAsync(new TableEntity(key.Prefix, RowOf(bucket, n, key.Prefix)) { [property] = value }, TableUpdateMode.Merge, cancellationToken)
                        .ConfigureAwait(false);
                    return;
                }
                catch (RequestFailedException ex) when (n + 1 < MaxRowsPerBucket &&
                    (ex.ErrorCode == TableErrorCode.TooManyProperties || ex.ErrorCode == TableErrorCode.EntityTooLarge))
                {
                    // The row is full: the matter goes into the next one.
                }
            }
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// The matters of one key received within [from, to]: a point read per row the window overlaps (and per overflow
    /// row of a full one), so the cost is the window and the matters sharing the key, not the matters the table holds.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateEntry>> EntriesAsync(string prefix, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var buckets = new List<string>();
        for (var start = BucketStart(from); start <= BucketStart(to); start = start.AddDays(BucketDays))
        {
            buckets.Add(start.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        }
        var perBucket = await Task.WhenAll(buckets.Select(bucket => BucketAsync(prefix, bucket, cancellationToken))).ConfigureAwait(false);
        return [.. perBucket.SelectMany(e => e).Where(e => e.ReceivedAt >= from && e.ReceivedAt <= to)];
    }

    private async Task<IReadOnlyList<DuplicateEntry>> BucketAsync(string prefix, string bucket, CancellationToken cancellationToken)
    {
        var entries = new List<DuplicateEntry>();
        for (var n = 0; n < MaxRowsPerBucket; n++)
        {
            var row = await keys.GetEntityIfExistsAsync<TableEntity>(prefix, RowOf(bucket, n, prefix), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!row.HasValue) break;
            var count = 0;
            foreach (var (name, value) in row.Value!)
            {
                if (!name.StartsWith(EntryPrefix, StringComparison.Ordinal) || value is not string text) continue;
                count++;
                if (Parse(DecodeId(name[EntryPrefix.Length..]), text) is { } entry) entries.Add(entry);
            }
            if (count < MaxEntriesPerRow) break;
        }
        return entries;
    }

    private static DuplicateEntry? Parse(string matterId, string text)
    {
        var parts = text.Split(',');
        if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)) return null;
        var at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return parts.Length == 3
               && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
               && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            ? new DuplicateEntry(matterId, at, lat, lon)
            : new DuplicateEntry(matterId, at);
    }

    // The row key ends with the key again, so that no two rows of the table share a row key: the Azurite emulator
    // finds a row through its row key first, and a bucket's date alone would be shared by every key's row.
    private static string RowOf(string bucket, int n, string key) =>
        (n == 0 ? bucket : bucket + "-" + n.ToString(CultureInfo.InvariantCulture)) + "|" + key;

    // Buckets are counted from 0001-01-01, so every writer and reader agrees on where one ends, whatever the window.
    private static DateOnly BucketStart(DateTimeOffset t)
    {
        var day = DateOnly.FromDateTime(ChinaTime.ToChina(t).Date).DayNumber;
        return DateOnly.FromDayNumber(day - day % BucketDays);
    }

    private static string Bucket(DateTimeOffset t) => BucketStart(t).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    // Property names are identifiers: a matter id's letters and digits stay, anything else is written _XXXX.
    private static string EncodeId(string id)
    {
        var sb = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else sb.Append('_').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string DecodeId(string encoded)
    {
        var sb = new StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '_' && i + 4 < encoded.Length && int.TryParse(encoded.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 4;
            }
            else sb.Append(encoded[i]);
        }
        return sb.ToString();
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


    // The category is free text: hashed with the address, the key stays short and holds no character a key may not.
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hotline-address:" + text)))[..32];
}
