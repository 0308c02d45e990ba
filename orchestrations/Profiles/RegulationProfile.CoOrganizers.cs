namespace Hotline.Orchestrations.Profiles;

/// <summary>
/// The part a co-organizer owes the lead unit (Fujian 16; Weifang 22): each co-organizer submits it through its own link
/// within <paramref name="PartWorkingDays"/> of the dispatch, and never later than the lead's handling deadline, so the lead
/// can still use it in its reply.
/// </summary>
/// <param name="Option">The profile's own seed does not have the rule: it is offered from another seed.</param>
public sealed record CoOrganizerRule(int PartWorkingDays, string Basis, bool Option = false);

/// <summary>
/// A reply that says the matter cannot be solved at present, after the organizer contacted the citizen, explained and
/// guided (Fujian 20(7); Weifang 20(3)): counted on its own in the assessment, never as solved.
/// </summary>
/// <param name="Option">The profile's own seed does not have the rule: it is offered from another seed.</param>
public sealed record ExplainedNotSolvableRule(string Basis, bool Option = false);

public sealed partial record RegulationProfile
{
    /// <summary>Co-organizers' parts; null where the profile does not have the rule (co-organizers are then only named).</summary>
    public CoOrganizerRule? CoOrganizers { get; init; }

    /// <summary>The "explained, not solvable now" reply; null where the profile does not offer it.</summary>
    public ExplainedNotSolvableRule? ExplainedNotSolvable { get; init; }

    /// <summary>The problems of these rules, for <see cref="ProfileCatalog"/>'s validation.</summary>
    internal IEnumerable<string> CoOrganizingProblems()
    {
        if (CoOrganizers is { } co)
        {
            if (co.PartWorkingDays is < 1 or > 30) yield return "coOrganizers.partWorkingDays must be from 1 to 30";
            if (string.IsNullOrWhiteSpace(co.Basis)) yield return "coOrganizers must name its basis";
        }
        if (ExplainedNotSolvable is { } explained && string.IsNullOrWhiteSpace(explained.Basis))
            yield return "explainedNotSolvable must name its basis";
    }
}
