namespace Hotline.Orchestrations.Assessment;

/// <summary>
/// A share and the number it is a share of. <see cref="Value"/> is null ("too few to rate") when fewer than the
/// minimum count: a unit with two matters, one late, is not "50% on time" in any sense an assessment should publish.
/// </summary>
public sealed record Rate(double? Value, int Of)
{
    /// <summary><paramref name="count"/> of <paramref name="of"/>, rounded to 4 decimals; null below <paramref name="minimum"/> (and for none at all).</summary>
    public static Rate From(int count, int of, int minimum) =>
        new(of == 0 || of < minimum ? null : Statistics.Round((double)count / of, 4), of);
}

/// <summary>The middle and the 90th percentile of a set of durations, in hours; null when too few to say.</summary>
public sealed record HourFigures(double? Median, double? P90);

public static class Statistics
{
    /// <summary>Rounds half away from zero, so that 0.125 reads 0.13 whatever the platform's default.</summary>
    public static double Round(double value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    /// <summary>The middle value; for an even count, the mean of the two middle values.</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Median(IReadOnlyList<double> sorted)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest value that at least <paramref name="percent"/>% of the values do not
    /// exceed. It is always one of the values, so a p90 of hours can be traced to a matter.
    /// </summary>
    /// <exception cref="ArgumentException">No values, or a percent outside (0, 100].</exception>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        if (percent is <= 0 or > 100) throw new ArgumentException("A percent in (0, 100].", nameof(percent));
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>Median and p90 of durations in hours (2 decimals); null when fewer than <paramref name="minimum"/> (or none).</summary>
    public static HourFigures Hours(IEnumerable<TimeSpan> durations, int minimum)
    {
        ArgumentNullException.ThrowIfNull(durations);
        var hours = durations.Select(d => d.TotalHours).Order().ToArray();
        return hours.Length == 0 || hours.Length < minimum
            ? new HourFigures(null, null)
            : new HourFigures(Round(Median(hours), 2), Round(Percentile(hours, 90), 2));
    }
}
