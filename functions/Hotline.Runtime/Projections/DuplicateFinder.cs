using System.Security.Cryptography;
using System.Text;
using Hotline.Orchestrations.Lifecycle;
using Azure.Data.Tables;

namespace Hotline.Runtime.Projections;

/// <summary>
/// Finds matters that may report the same thing as a new one, for staff to look at and merge: the same category
/// within <see cref="RuntimeOptions.DuplicateRadiusMeters"/> (or at the same address), or the same citizen, within
/// <see cref="RuntimeOptions.DuplicateWindow"/>. It runs a moment after intake, as the new matter's
/// <see cref="Effects.EffectKinds.Duplicates"/> effect, not on intake's request path. It reads the keyed
/// <see cref="DuplicateIndex"/> for every key the new matter could share (the place cells its radius touches, its
/// address, its citizen), a point read per key and day of the window, so its cost follows the window and the matters
/// that share a key, not the matters the system holds. The
/// citizen appears there only as a hash of the phone number, never the number. (Phone numbers are few enough to
/// guess from such a hash, so the index is kept as carefully as the matters themselves; the hash keeps the number out
/// of sight, not secret.)
/// </summary>
public sealed class DuplicateFinder(DuplicateIndex index, RuntimeOptions options)
{
    public Task<IReadOnlyList<string>> FindAsync(string matterId, Intake intake, CancellationToken cancellationToken = default) =>
        FindAsync(matterId, DuplicateProbe.Of(intake), cancellationToken);

    public async Task<IReadOnlyList<string>> FindAsync(string matterId, DuplicateProbe probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var from = probe.ReceivedAt - options.DuplicateWindow;
        var to = probe.ReceivedAt + TimeSpan.FromMinutes(5);
        var exact = new List<Task<IReadOnlyList<DuplicateEntry>>>(2);
        if (probe.AddressKey is { } address) exact.Add(index.EntriesAsync(address, from, to, cancellationToken));
        if (probe.CitizenKey is { } citizen) exact.Add(index.EntriesAsync(citizen, from, to, cancellationToken));
        var places = probe is { Lat: { } lat, Lon: { } lon }
            ? DuplicateIndex.PlaceKeysAround(probe.Category, lat, lon, options.DuplicateRadiusMeters).Select(key => index.EntriesAsync(key, from, to, cancellationToken)).ToArray()
            : [];
        await Task.WhenAll(exact.Concat(places)).ConfigureAwait(false);

        // A cell is coarser than the radius: its rows are kept only within the radius itself.
        var nearby = places.SelectMany(p => p.Result).Where(entry =>
            entry is { Lat: { } entryLat, Lon: { } entryLon } &&
            DistanceMeters(probe.Lat!.Value, probe.Lon!.Value, entryLat, entryLon) <= options.DuplicateRadiusMeters);
        return exact.SelectMany(e => e.Result).Concat(nearby).Select(e => e.MatterId).Where(id => id != matterId).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>An address compared without spaces, punctuation (half- or full-width) or case.</summary>
    public static string AddressKey(string? address) =>
        address is null ? "" : new string(address.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The citizen as the index knows them: a hash of the phone's digits, not the number.</summary>
    public static string CitizenKey(string phone) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hotline-citizen:" + new string(phone.Where(char.IsAsciiDigit).ToArray()))))[..32];

    /// <summary>Great-circle distance (haversine); accurate to well under a metre at city scale.</summary>
    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        const double EarthRadius = 6_371_000;
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
