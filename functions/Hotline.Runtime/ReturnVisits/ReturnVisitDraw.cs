using System.Security.Cryptography;
using System.Text;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Projections;

namespace Hotline.Runtime.ReturnVisits;

public sealed record ReturnVisitOptions(double Share = 0.1, string Seed = "hotline-return-visits");

public sealed record DrawnVisit(string MatterId, string Organizer, string Category, DateTimeOffset ClosedAt, bool? Solved);

/// <summary>
/// Random return visits (Fujian 23, Weifang 25): each day a share of the matters each organizer closed that day is
/// drawn for a visit. The draw is reproducible: a matter's place in the order is a hash of the deployment's seed,
/// the day and the matter, so the same day gives the same list on every host and every time it is asked, and no
/// one can steer which matters are visited without knowing the seed.
/// </summary>
public sealed class ReturnVisitDraw(MatterIndex index, ReturnVisitOptions options)
{
    public double Share => options.Share;

    public async Task<IReadOnlyList<DrawnVisit>> DrawAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var from = ChinaTime.At(day, TimeOnly.MinValue);
        var closed = await index.ClosedBetweenAsync(from, from.AddDays(1), cancellationToken).ConfigureAwait(false);
        return Draw(closed, day, options);
    }

    /// <summary>The pure draw: per organizer, ceil(share × closed) matters with the lowest seeded hashes.</summary>
    public static IReadOnlyList<DrawnVisit> Draw(IEnumerable<MatterSummary> closed, DateOnly day, ReturnVisitOptions options) =>
        [.. closed.Where(m => m.Organizer is not null && m.ClosedAt is not null)
            .GroupBy(m => m.Organizer!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g
                .OrderBy(m => Rank(options.Seed, day, m.Id), StringComparer.Ordinal)
                .Take((int)Math.Ceiling(options.Share * g.Count()))
                .Select(m => new DrawnVisit(m.Id, g.Key, m.Category, m.ClosedAt!.Value, m.ReturnVisitSolved)))];

    private static string Rank(string seed, DateOnly day, string matterId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{day:yyyy-MM-dd}|{matterId}")));
}
