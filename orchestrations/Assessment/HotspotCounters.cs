namespace Hotline.Orchestrations.Assessment;

/// <summary>
/// What one CST day's matters add to the hotspot report: the accepted ones counted by category and by district (a
/// matter not accepted is no reflection, <see cref="AssessmentRules.CountsAsReflection"/>). Adds up over days, so a
/// period's counts are the sum of its days'.
/// </summary>
public sealed class HotspotCounts
{
    public Dictionary<string, int> ByCategory { get; set; } = new(StringComparer.Ordinal);

    /// <summary>By district; "" for matters without one, as the report groups them.</summary>
    public Dictionary<string, int> ByDistrict { get; set; } = new(StringComparer.Ordinal);

    public static HotspotCounts Of(MatterFacts m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var counts = new HotspotCounts();
        if (!AssessmentRules.CountsAsReflection(m)) return counts;
        counts.ByCategory[m.Category] = 1;
        counts.ByDistrict[m.District ?? ""] = 1;
        return counts;
    }

    /// <summary>Adds (<paramref name="sign"/> 1) or takes away (-1) other counts, in place; a count that reaches 0 goes.</summary>
    public HotspotCounts Add(HotspotCounts other, int sign)
    {
        ArgumentNullException.ThrowIfNull(other);
        Merge(ByCategory, other.ByCategory, sign);
        Merge(ByDistrict, other.ByDistrict, sign);
        return this;
    }

    /// <summary>The keys in order, in place, so equal counts serialize alike.</summary>
    public HotspotCounts Canonical()
    {
        ByCategory = ByCategory.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        ByDistrict = ByDistrict.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return this;
    }

    private static void Merge(Dictionary<string, int> into, Dictionary<string, int> other, int sign)
    {
        foreach (var (key, n) in other)
        {
            var sum = into.GetValueOrDefault(key) + sign * n;
            if (sum == 0) into.Remove(key);
            else into[key] = sum;
        }
    }
}

/// <summary>
/// Where and when an accepted matter was received: all that "repeated places" needs of it (<see cref="AssessmentRules.SamePlace"/>).
/// </summary>
public sealed record HotspotPlace(string MatterId, DateTimeOffset ReceivedAt, string Category, string? District, string AddressKey, double? Lat, double? Lon)
{
    /// <summary>The matter's place, or null when it does not count (not accepted).</summary>
    public static HotspotPlace? Of(MatterFacts m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return AssessmentRules.CountsAsReflection(m) ? new HotspotPlace(m.MatterId, m.ReceivedAt, m.Category, m.District, m.AddressKey, m.Lat, m.Lon) : null;
    }

    /// <summary>The facts the report's rules read, with nothing else filled in.</summary>
    public MatterFacts ToFacts() => new()
    {
        MatterId = MatterId,
        Version = 0,
        ReceivedAt = ReceivedAt,
        Type = default,
        Category = Category,
        District = District,
        AddressKey = AddressKey,
        Lat = Lat,
        Lon = Lon,
    };
}
