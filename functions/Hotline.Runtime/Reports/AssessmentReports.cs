using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Time;

namespace Hotline.Runtime.Reports;

/// <summary>The reports, computed by the pure assessment rules from the report counters and the facts table.</summary>
public sealed class AssessmentReports(FactsProjection facts, Calendars.CalendarStore calendars, RuntimeOptions options)
{
    /// <summary>
    /// Every unit's figures for the assignments received in [from, to), as they stand at <paramref name="asOf"/>. The
    /// whole CST days of the period are read from the report counters (a row per unit and day); only the parts of a
    /// day at either end of a period that does not start or end at midnight are read assignment by assignment.
    /// </summary>
    public async Task<OrganizerAssessmentResult> OrganizersAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf, AssessmentOptions assessment,
        CancellationToken cancellationToken = default)
    {
        var calendar = calendars.Current.Lifecycle.Calendar;
        if (facts.Counters is not { } counters || to <= from)
        {
            var assignments = await facts.AssignmentsReceivedAsync(from, to, cancellationToken).ConfigureAwait(false);
            return OrganizerAssessment.Compute(assignments, from, to, asOf, calendar, assessment);
        }
        var (days, edges) = Split(from, to);
        var byUnit = await counters.OrganizersAsync(days, cancellationToken).ConfigureAwait(false);
        foreach (var (edgeFrom, edgeTo) in edges)
        {
            foreach (var a in await facts.AssignmentsReceivedAsync(edgeFrom, edgeTo, cancellationToken).ConfigureAwait(false))
            {
                if (!AssessmentRules.InPeriod(a.ReceivedAt, edgeFrom, edgeTo)) continue;
                (byUnit.TryGetValue(a.Organizer, out var unit) ? unit : byUnit[a.Organizer] = new OrganizerCounters()).Add(OrganizerCounters.Of(a), 1);
            }
        }
        return OrganizerAssessment.Compute(byUnit, asOf, calendar, assessment);
    }

    /// <summary>
    /// Hotspots of [from, to) against the period of equal length before it; "the same place" uses the duplicate finder's
    /// radius. Whole CST days come from the hotspot counters (each day's counts, and the places of the period's days);
    /// the parts of a day at either end of a period that does not start or end at midnight, from the facts rows.
    /// </summary>
    public async Task<HotspotReport> HotspotsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var previousFrom = from - (to - from);
        if (facts.Hotspots is not { } counters || to <= from)
        {
            var matters = await facts.MattersReceivedAsync(previousFrom, to, cancellationToken).ConfigureAwait(false);
            return Hotspots.Compute(matters, from, to, options.DuplicateRadiusMeters);
        }
        var (daysNow, edgesNow) = Split(from, to);
        var (daysBefore, edgesBefore) = Split(previousFrom, from);
        var current = daysNow.ToHashSet();
        var (byDay, places) = await counters.ReadAsync([.. daysBefore, .. daysNow], current.Contains, cancellationToken).ConfigureAwait(false);
        var nowByDay = byDay.Where(d => current.Contains(d.Key)).ToDictionary(d => d.Key, d => d.Value);
        var before = new HotspotCounts();
        foreach (var day in byDay.Where(d => !current.Contains(d.Key))) before.Add(day.Value, 1);
        foreach (var (edgeFrom, edgeTo, isNow) in edgesNow.Select(e => (e.From, e.To, true)).Concat(edgesBefore.Select(e => (e.From, e.To, false))))
        {
            foreach (var m in await facts.MattersReceivedAsync(edgeFrom, edgeTo, cancellationToken).ConfigureAwait(false))
            {
                if (!AssessmentRules.InPeriod(m.ReceivedAt, edgeFrom, edgeTo)) continue;
                if (!isNow)
                {
                    before.Add(HotspotCounts.Of(m), 1);
                    continue;
                }
                var day = ChinaTime.DayOf(m.ReceivedAt);
                (nowByDay.TryGetValue(day, out var counts) ? counts : nowByDay[day] = new HotspotCounts()).Add(HotspotCounts.Of(m), 1);
                if (HotspotPlace.Of(m) is { } place) places.Add(place);
            }
        }
        return Hotspots.Compute(nowByDay, before, places, from, to, options.DuplicateRadiusMeters);
    }

    /// <summary>The whole CST days within [from, to), and what is left of the period at either end (at most two pieces).</summary>
    public static (IReadOnlyList<DateOnly> Days, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Edges) Split(DateTimeOffset from, DateTimeOffset to)
    {
        var first = ChinaTime.DayOf(from);
        if (Start(first) < from) first = first.AddDays(1);
        var end = ChinaTime.DayOf(to); // the first day not wholly inside
        var days = new List<DateOnly>();
        for (var d = first; d < end; d = d.AddDays(1)) days.Add(d);
        var edges = new List<(DateTimeOffset, DateTimeOffset)>();
        if (days.Count == 0)
        {
            edges.Add((from, to));
            return (days, edges);
        }
        if (from < Start(first)) edges.Add((from, Start(first)));
        if (Start(end) < to) edges.Add((Start(end), to));
        return (days, edges);
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
}
