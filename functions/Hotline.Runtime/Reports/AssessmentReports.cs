using Hotline.Orchestrations.Assessment;

namespace Hotline.Runtime.Reports;

/// <summary>The reports, computed from the facts table by the pure assessment rules.</summary>
public sealed class AssessmentReports(FactsProjection facts, Calendars.CalendarStore calendars, RuntimeOptions options)
{
    /// <summary>Every unit's figures for the assignments received in [from, to), as they stand at <paramref name="asOf"/>.</summary>
    public async Task<OrganizerAssessmentResult> OrganizersAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf, AssessmentOptions assessment,
        CancellationToken cancellationToken = default)
    {
        var assignments = await facts.AssignmentsReceivedAsync(from, to, cancellationToken).ConfigureAwait(false);
        return OrganizerAssessment.Compute(assignments, from, to, asOf, calendars.Current.Lifecycle.Calendar, assessment);
    }

    /// <summary>Hotspots of [from, to) against the period of equal length before it; "the same place" uses the duplicate finder's radius.</summary>
    public async Task<HotspotReport> HotspotsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var matters = await facts.MattersReceivedAsync(from - (to - from), to, cancellationToken).ConfigureAwait(false);
        return Hotspots.Compute(matters, from, to, options.DuplicateRadiusMeters);
    }
}
