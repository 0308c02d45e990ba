using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Orchestrations.Assessment;

/// <summary>
/// A unit's record as a co-organizer in a period (Fujian 16, 30(4); Weifang 22): the parts asked of it in assignments
/// received in the period, and how it gave them, as they stand at the report's instant.
/// </summary>
/// <param name="Parts">Parts asked of the unit.</param>
/// <param name="OnTime">Submitted by their deadline.</param>
/// <param name="Late">Submitted after their deadline.</param>
/// <param name="Missing">Never submitted, the deadline past while the part was still owed: "passively coping" (Fujian 30(4)).</param>
public sealed record CoOrganizerFigures(int Parts, int OnTime, int Late, int Missing)
{
    public static readonly CoOrganizerFigures None = new(0, 0, 0, 0);
}

/// <summary>The co-organizer figures, one small rule each, in the manner of <see cref="AssessmentRules"/>.</summary>
public static class CoOrganizerAssessment
{
    /// <summary>Submitted by its deadline.</summary>
    public static bool OnTime(PartFacts p) => p.SubmittedAt is { } at && at <= p.PartBy;

    /// <summary>Submitted, after its deadline.</summary>
    public static bool Late(PartFacts p) => p.SubmittedAt > p.PartBy;

    /// <summary>
    /// Missing: not submitted, and its deadline passed while the part was still owed. It was no longer owed once the lead
    /// was released from the matter (an approved return, a merge) or the matter's handling ended (the lead's reply
    /// accepted, a termination approved) before the deadline.
    /// </summary>
    public static bool Missing(AssignmentFacts a, PartFacts p, DateTimeOffset asOf) =>
        p.SubmittedAt is null && p.PartBy <= asOf && !AssessmentRules.Relieved(a, p.PartBy) && !(a.CompletedAt <= p.PartBy) && !(a.TerminatedAt <= p.PartBy);

    /// <summary>The figures of every unit that was asked a part in <paramref name="received"/> (assignments of the period).</summary>
    public static IReadOnlyDictionary<string, CoOrganizerFigures> Compute(IEnumerable<AssignmentFacts> received, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(received);
        return received.SelectMany(a => a.Parts.Select(p => (Assignment: a, Part: p)))
            .GroupBy(x => x.Part.Organizer, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Figures(g, asOf), StringComparer.Ordinal);
    }

    public static CoOrganizerFigures Figures(IEnumerable<(AssignmentFacts Assignment, PartFacts Part)> parts, DateTimeOffset asOf)
    {
        var all = parts.ToArray();
        return new CoOrganizerFigures(all.Length, all.Count(x => OnTime(x.Part)), all.Count(x => Late(x.Part)), all.Count(x => Missing(x.Assignment, x.Part, asOf)));
    }

    /// <summary>
    /// The reply the platform accepted said the matter cannot be solved at present (Fujian 20(7); Weifang 20(3)): counted on
    /// its own, and not as solved.
    /// </summary>
    public static bool ExplainedNotSolvable(AssignmentFacts a) => a.CompletedAt is not null && a.ReplyKind == ReplyKind.ExplainedNotSolvable;

    /// <summary>Completed with a reply that said the matter is solved.</summary>
    public static bool Solved(AssignmentFacts a) => a.CompletedAt is not null && a.ReplyKind == ReplyKind.Solved;
}
