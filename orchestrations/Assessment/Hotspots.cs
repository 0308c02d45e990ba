using static Hotline.Orchestrations.Assessment.AssessmentRules;

namespace Hotline.Orchestrations.Assessment;

/// <summary>
/// A count in the period against the previous period of equal length. <see cref="Change"/> is relative,
/// (count − previous) / previous to 4 decimals, and null when there was nothing before to compare with.
/// </summary>
public sealed record CountChange(string Key, int Count, int Previous, double? Change);

public sealed record WeekCount(DateOnly WeekStart, string Category, int Count);

/// <summary>
/// Matters of one category at one place. <see cref="District"/> and <see cref="Address"/> (an address key) are the
/// earliest matter's that has one; <see cref="Matters"/> in order of receipt.
/// </summary>
public sealed record RepeatedPlace(string Category, string District, string Address, int Count, IReadOnlyList<string> Matters);

public sealed record HotspotReport(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset PreviousFrom,
    DateTimeOffset PreviousTo,
    IReadOnlyList<CountChange> ByCategory,
    IReadOnlyList<CountChange> ByDistrict,
    IReadOnlyList<WeekCount> ByWeek,
    IReadOnlyList<RepeatedPlace> Repeated);

/// <summary>
/// What citizens reflect, where and when (Weifang 29: regular analysis of social conditions and public opinion): counts
/// of accepted matters by category, district and week, and the places where the same kind of matter keeps coming back.
/// </summary>
public static class Hotspots
{
    /// <summary>The radius within which two matters are at the same place: the duplicate finder's.</summary>
    public const double DefaultRadiusMeters = 200;

    /// <summary>At least this many matters of one category at one place in the period make a repeated matter.</summary>
    public const int RepeatedFrom = 2;

    public static HotspotReport Compute(IEnumerable<MatterFacts> facts, DateTimeOffset from, DateTimeOffset to, double radiusMeters = DefaultRadiusMeters)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (to <= from) throw new ArgumentException("The period must end after it starts.", nameof(to));
        var previousFrom = from - (to - from);
        var all = facts.ToArray();
        var now = all.Where(m => InPeriod(m.ReceivedAt, from, to)).ToArray();
        var nowByDay = new Dictionary<DateOnly, HotspotCounts>();
        foreach (var m in now)
        {
            var day = Time.ChinaTime.DayOf(m.ReceivedAt);
            (nowByDay.TryGetValue(day, out var counts) ? counts : nowByDay[day] = new HotspotCounts()).Add(HotspotCounts.Of(m), 1);
        }
        var before = new HotspotCounts();
        foreach (var m in all.Where(m => InPeriod(m.ReceivedAt, previousFrom, from))) before.Add(HotspotCounts.Of(m), 1);
        return Compute(nowByDay, before, now.Select(HotspotPlace.Of).OfType<HotspotPlace>(), from, to, radiusMeters);
    }

    /// <summary>
    /// The same report from counts (as the report counters keep them): the period's by CST day, the previous period's in
    /// all, and the places of the period's accepted matters.
    /// </summary>
    public static HotspotReport Compute(IReadOnlyDictionary<DateOnly, HotspotCounts> nowByDay, HotspotCounts before, IEnumerable<HotspotPlace> places,
        DateTimeOffset from, DateTimeOffset to, double radiusMeters = DefaultRadiusMeters)
    {
        ArgumentNullException.ThrowIfNull(nowByDay);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(places);
        if (to <= from) throw new ArgumentException("The period must end after it starts.", nameof(to));
        var previousFrom = from - (to - from);
        var now = new HotspotCounts();
        foreach (var day in nowByDay.Values) now.Add(day, 1);

        // A day's week is the week of every instant in it (WeekStart goes by the CST day).
        var byWeek = nowByDay.SelectMany(d => d.Value.ByCategory.Select(c => (Week: WeekStart(Time.ChinaTime.At(d.Key, TimeOnly.MinValue)), Category: c.Key, Count: c.Value)))
            .GroupBy(x => (x.Week, x.Category))
            .Select(g => new WeekCount(g.Key.Week, g.Key.Category, g.Sum(x => x.Count)))
            .OrderBy(w => w.WeekStart).ThenByDescending(w => w.Count).ThenBy(w => w.Category, StringComparer.Ordinal)
            .ToArray();

        return new HotspotReport(from, to, previousFrom, from,
            Changes(now.ByCategory, before.ByCategory),
            Changes(now.ByDistrict, before.ByDistrict),
            byWeek,
            Repeated([.. places.Select(p => p.ToFacts())], radiusMeters));
    }

    private static CountChange[] Changes(IReadOnlyDictionary<string, int> current, IReadOnlyDictionary<string, int> previous)
    {
        return current.Keys.Union(previous.Keys, StringComparer.Ordinal)
            .Select(k => Change(k, current.GetValueOrDefault(k), previous.GetValueOrDefault(k)))
            .OrderByDescending(c => c.Count).ThenByDescending(c => c.Previous).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToArray();
    }

    private static CountChange Change(string key, int count, int previous) =>
        new(key, count, previous, previous == 0 ? null : Statistics.Round((double)(count - previous) / previous, 4));

    /// <summary>
    /// Groups of matters linked by "the same place" (<see cref="SamePlace"/>) within one category, taking links
    /// transitively, so the result does not depend on the order matters arrived in.
    /// </summary>
    private static RepeatedPlace[] Repeated(IReadOnlyList<MatterFacts> now, double radiusMeters)
    {
        var places = new List<RepeatedPlace>();
        foreach (var category in now.GroupBy(m => m.Category, StringComparer.Ordinal))
        {
            var matters = category.OrderBy(m => m.ReceivedAt).ThenBy(m => m.MatterId, StringComparer.Ordinal).ToArray();
            var groups = new UnionFind(matters.Length);

            var byAddress = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < matters.Length; i++)
            {
                if (matters[i].AddressKey.Length == 0) continue;
                if (byAddress.TryGetValue(matters[i].AddressKey, out var first)) groups.Join(first, i);
                else byAddress[matters[i].AddressKey] = i;
            }

            // Sorted by latitude, a point only needs comparing with the next ones until the latitude alone is too far.
            var located = Enumerable.Range(0, matters.Length).Where(i => matters[i].Lat is not null && matters[i].Lon is not null)
                .OrderBy(i => matters[i].Lat).ToArray();
            var latitudeWindow = radiusMeters / (Places.EarthRadiusMeters * Math.PI / 180);
            for (var x = 0; x < located.Length; x++)
            {
                for (var y = x + 1; y < located.Length && matters[located[y]].Lat - matters[located[x]].Lat <= latitudeWindow; y++)
                {
                    if (SamePlace(matters[located[x]], matters[located[y]], radiusMeters)) groups.Join(located[x], located[y]);
                }
            }

            foreach (var group in Enumerable.Range(0, matters.Length).GroupBy(groups.Find).Where(g => g.Count() >= RepeatedFrom))
            {
                var members = group.Order().Select(i => matters[i]).ToArray();
                places.Add(new RepeatedPlace(category.Key,
                    members.Select(m => m.District).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? "",
                    members.Select(m => m.AddressKey).FirstOrDefault(k => k.Length > 0) ?? "",
                    members.Length,
                    [.. members.Select(m => m.MatterId)]));
            }
        }
        return [.. places.OrderByDescending(p => p.Count).ThenBy(p => p.Category, StringComparer.Ordinal).ThenBy(p => p.Matters[0], StringComparer.Ordinal)];
    }

    private sealed class UnionFind
    {
        private readonly int[] _parent;

        public UnionFind(int count) => _parent = [.. Enumerable.Range(0, count)];

        public int Find(int i)
        {
            while (_parent[i] != i) i = _parent[i] = _parent[_parent[i]];
            return i;
        }

        public void Join(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb) _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
