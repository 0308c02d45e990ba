namespace Hotline.Orchestrations.Profiles;

// Rules for matters whose handling outlasts the ordinary limit: long-running matters and matters that go through a legal
// procedure (Guangzhou, seeds/004), and matters the organizer cannot solve (Weifang 23). A profile without the key does
// not have the rule; a rule taken from another seed is marked `option: true` (offered to that profile, not in its text).

/// <param name="PlanWorkingDays">From marking to the organizer's solution plan.</param>
/// <param name="FeedbackIntervalWorkingDays">From the plan (or the last staged feedback) to the next staged feedback.</param>
/// <param name="Option">The profile's own regulation does not have the rule; it is offered from another seed.</param>
public sealed record LongRunningRule(int PlanWorkingDays, int FeedbackIntervalWorkingDays, string Basis, bool Option = false);

/// <param name="ReportWorkingDays">From the end of the procedure to the organizer's report of the final situation.</param>
public sealed record LegalProcedureRule(int ReportWorkingDays, string Basis, bool Option = false);

/// <param name="Owner">Who studies an escalated matter with the departments concerned (the municipal government office).</param>
/// <param name="StudyWorkingDays">The owner's clock for the study.</param>
/// <param name="MeetingOwner">Who decides a matter the study did not resolve (the government's executive meeting).</param>
/// <param name="MeetingWorkingDays">The clock for the executive meeting's decision.</param>
public sealed record EscalationRule(string Owner, int StudyWorkingDays, string MeetingOwner, int MeetingWorkingDays, string Basis, bool Option = false);

public static class LongTermRules
{
    /// <summary>Called by <see cref="ProfileCatalog"/> when it validates a profile: a bad edit fails at start.</summary>
    public static IEnumerable<string> Problems(RegulationProfile p)
    {
        if (p.LongRunning is { } r)
        {
            if (r.PlanWorkingDays is < 1 or > 60) yield return "longRunning.planWorkingDays must be from 1 to 60";
            if (r.FeedbackIntervalWorkingDays is < 1 or > 120) yield return "longRunning.feedbackIntervalWorkingDays must be from 1 to 120";
            if (string.IsNullOrWhiteSpace(r.Basis)) yield return "longRunning must name its basis";
        }
        if (p.LegalProcedure is { } l)
        {
            if (l.ReportWorkingDays is < 1 or > 30) yield return "legalProcedure.reportWorkingDays must be from 1 to 30";
            if (string.IsNullOrWhiteSpace(l.Basis)) yield return "legalProcedure must name its basis";
        }
        if (p.Escalation is { } e)
        {
            if (string.IsNullOrWhiteSpace(e.Owner) || string.IsNullOrWhiteSpace(e.MeetingOwner)) yield return "escalation needs its owners";
            if (e.StudyWorkingDays is < 1 or > 120 || e.MeetingWorkingDays is < 1 or > 120) yield return "escalation clocks must be from 1 to 120 working days";
            if (string.IsNullOrWhiteSpace(e.Basis)) yield return "escalation must name its basis";
        }
    }
}
