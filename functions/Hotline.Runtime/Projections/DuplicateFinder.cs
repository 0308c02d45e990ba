using System.Security.Cryptography;
using System.Text;
using Hotline.Orchestrations.Lifecycle;
using Azure.Data.Tables;

namespace Hotline.Runtime.Projections;

/// <summary>
/// Finds matters that may report the same thing as a new one, for staff to look at and merge: the same category
/// within <see cref="RuntimeOptions.DuplicateRadiusMeters"/> (or at the same address), or the same citizen, within
/// <see cref="RuntimeOptions.DuplicateWindow"/>. It reads the staff index, where the citizen appears only as a
/// hash of the phone number, never the number. (Phone numbers are few enough to guess from such a hash, so the
/// index is kept as carefully as the matters themselves; the hash keeps the number out of sight, not secret.)
/// </summary>
public sealed class DuplicateFinder(MatterIndex index, RuntimeOptions options)
{
    public async Task<IReadOnlyList<string>> FindAsync(string matterId, Intake intake, CancellationToken cancellationToken = default)
    {
        var from = intake.ReceivedAt - options.DuplicateWindow;
        var to = intake.ReceivedAt + TimeSpan.FromMinutes(5);
        var sameCategory = await index.RowsAsync(from, to, TableClient.CreateQueryFilter($"Category eq {intake.Category}"), cancellationToken).ConfigureAwait(false);
        // Citizens who left no phone are not one citizen: only a phone number ties matters together.
        IReadOnlyList<TableEntity> sameCitizen = intake.Citizen.Phone.Any(char.IsAsciiDigit)
            ? await index.RowsAsync(from, to, TableClient.CreateQueryFilter($"CitizenKey eq {CitizenKey(intake.Citizen.Phone)}"), cancellationToken).ConfigureAwait(false)
            : [];
        var address = AddressKey(intake.Location.Address);
        var nearby = sameCategory.Where(row =>
            (address.Length > 0 && row.GetString("AddressKey") == address) ||
            (intake.Location is { Lat: { } lat, Lon: { } lon } && row.GetDouble("Lat") is { } rowLat && row.GetDouble("Lon") is { } rowLon &&
             DistanceMeters(lat, lon, rowLat, rowLon) <= options.DuplicateRadiusMeters));
        return nearby.Concat(sameCitizen).Select(r => r.RowKey).Where(id => id != matterId).Distinct().Order(StringComparer.Ordinal).ToArray();
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
