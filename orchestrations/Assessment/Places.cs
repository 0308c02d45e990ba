namespace Hotline.Orchestrations.Assessment;

/// <summary>When two matters happened at the same place: the same address as written, or close by on the map.</summary>
public static class Places
{
    /// <summary>
    /// An address compared without spaces, punctuation (half- or full-width) or case. It must stay the same function
    /// as the duplicate finder's (Hotline.Runtime.Projections.DuplicateFinder.AddressKey), which a runtime test checks:
    /// intake and reports must agree on what "the same address" is.
    /// </summary>
    public static string AddressKey(string? address) =>
        address is null ? "" : new string(address.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Great-circle distance (haversine) in metres; accurate to well under a metre at city scale.</summary>
    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>The mean Earth radius the distances use.</summary>
    public const double EarthRadiusMeters = 6_371_000;
}
