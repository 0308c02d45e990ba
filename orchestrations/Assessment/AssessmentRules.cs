using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Assessment;

/// <summary>
/// The definition of every figure of the organizer assessment, one small function each. Assessment covers "the handling
/// process, handling time limit, handling quality, responsibility implementation and people's satisfaction rate"
/// (Fujian 25) under an assessment system the city sets up (Weifang 27); the deadlines judged here are the ones the
/// lifecycle computed and recorded in the events.
/// </summary>
/// <remarks>
/// A rate's denominator holds only assignments whose outcome is <i>settled</i> at the report's instant: the action was
/// taken, or its deadline passed while the unit still had the matter. A matter dispatched an hour ago is neither on time
/// nor late yet, and counting it either way would move a unit's rate with the hour the report is read.
/// </remarks>
public static class AssessmentRules
{
    /// <summary>The report's period is half-open, [from, to): consecutive periods never count a matter twice.</summary>
    public static bool InPeriod(DateTimeOffset instant, DateTimeOffset from, DateTimeOffset to) => from <= instant && instant < to;

    /// <summary>
    /// Whether the unit was released from a duty before its deadline: its return was filed in time and approved (or
    /// is still being decided), so the matter was not its own (Fujian 19; 001: return within 1 working day); or staff
    /// merged the matter into another one before the deadline. A unit that let the deadline pass first is not released.
    /// </summary>
    public static bool Relieved(AssignmentFacts a, DateTimeOffset deadline) =>
        (a.Return is ReturnOutcome.Approved or ReturnOutcome.Pending && a.ReturnAppliedAt <= deadline) || a.MergedAt <= deadline;

    /// <summary>Signed within the sign-off window, by <see cref="AssignmentFacts.SignBy"/> (001: sign within 2 hours; Fujian 17).</summary>
    public static bool SignedOnTime(AssignmentFacts a) => a.SignedAt is { } signed && signed <= a.SignBy;

    /// <summary>
    /// Counts in the response rate: signed, or the sign-off deadline passed unsigned while the matter was the unit's
    /// (Fujian 25 "handling process"; Weifang 26(2) "not handled within the time limit").
    /// </summary>
    public static bool DueToSign(AssignmentFacts a, DateTimeOffset asOf) =>
        a.SignedAt is not null || (a.SignBy <= asOf && !Relieved(a, a.SignBy));

    /// <summary>The unit applied to return the matter at least once (Fujian 17, 19).</summary>
    public static bool Returned(AssignmentFacts a) => a.ReturnsApplied > 0;

    /// <summary>The platform decided the unit's latest return application.</summary>
    public static bool ReturnDecided(AssignmentFacts a) => a.Return is ReturnOutcome.Approved or ReturnOutcome.Refused;

    /// <summary>
    /// The return was approved: the unit was right that the matter was not its own. A low share of approved returns is
    /// a unit refusing matters within its duties (Weifang 26(1); Fujian 30(3)), which is what the share shows.
    /// </summary>
    public static bool ReturnApproved(AssignmentFacts a) => a.Return == ReturnOutcome.Approved;

    /// <summary>
    /// Counts in the contact rate: the profile sets a first-contact deadline for the matter's type (Fujian 20(4): help
    /// matters, within 1 working day), and the unit contacted the citizen or the deadline passed while the matter was
    /// its own. Every unit that receives the matter owes the contact, also after a reassignment.
    /// </summary>
    public static bool DueToContact(AssignmentFacts a, DateTimeOffset asOf) =>
        a.ContactBy is { } by && (a.ContactedAt is not null || (by <= asOf && !Relieved(a, by)));

    /// <summary>Contacted by the first-contact deadline (Fujian 20(4)).</summary>
    public static bool ContactedOnTime(AssignmentFacts a) => a.ContactBy is { } by && a.ContactedAt is { } at && at <= by;

    /// <summary>The platform accepted a reply of the unit (Fujian 18: the result is reviewed and fed back): the matter is completed.</summary>
    public static bool Completed(AssignmentFacts a) => a.CompletedAt is not null;

    /// <summary>
    /// Completed within the limit: the accepted reply was submitted by <see cref="AssignmentFacts.DueBy"/>, which
    /// includes every granted extension (Fujian 20; 20(6)). The submission counts, not the platform's review: the
    /// organizer's clock stops when it replies, as the lifecycle's handling alarm does.
    /// </summary>
    public static bool CompletedOnTime(AssignmentFacts a) => a.RepliedAt is { } replied && a.CompletedAt is not null && replied <= a.DueBy;

    /// <summary>
    /// Counts in the on-time rate: completed, or the limit passed while the unit had the matter and no reply of it was
    /// waiting for review since before the limit. A termination approved before the limit ends the duty lawfully
    /// (Weifang 21); so do an approved return and a merge.
    /// </summary>
    public static bool DueToComplete(AssignmentFacts a, DateTimeOffset asOf) =>
        Completed(a) ||
        (a.DueBy <= asOf && !Relieved(a, a.DueBy) && !(a.TerminatedAt <= a.DueBy) && !(a.UnderReviewSince <= a.DueBy));

    /// <summary>At least one extension was granted (Fujian 20(6)).</summary>
    public static bool Extended(AssignmentFacts a) => a.ExtensionsGranted > 0;

    /// <summary>The platform approved the unit's application to terminate the matter (Weifang 21).</summary>
    public static bool Terminated(AssignmentFacts a) => a.TerminatedAt is not null;

    /// <summary>The citizen evaluated the result (Weifang 14; Fujian 21). A lapsed evaluation window is not an evaluation.</summary>
    public static bool Evaluated(AssignmentFacts a) => a.Evaluation is not null;

    /// <summary>
    /// Satisfied or basically satisfied, by the latest evaluation: the citizen's verdict on the result as it finally
    /// stands (Fujian 25 "people's satisfaction rate"). First-time failures are what <see cref="HandledAgain"/> counts.
    /// </summary>
    public static bool Satisfied(AssignmentFacts a) => a.Evaluation is EvaluationResult.Satisfied or EvaluationResult.BasicallySatisfied;

    /// <summary>
    /// The matter went back to the unit after its completion: the citizen was unsatisfied (Fujian 22), or a return
    /// visit found it unsolved (Weifang 25: return visits are a basis of the assessment).
    /// </summary>
    public static bool HandledAgain(AssignmentFacts a) => a.HandledAgain > 0;

    /// <summary>Supervision started while the unit had the matter (Fujian 24; Weifang 26), whatever the reason.</summary>
    public static bool Supervised(AssignmentFacts a) => a.Supervised;

    /// <summary>Working time from receipt to signature (Fujian 25 "handling time limit"), for signed assignments.</summary>
    public static TimeSpan? TimeToSign(AssignmentFacts a, WorkingCalendar calendar) =>
        a.SignedAt is { } signed ? calendar.WorkingTimeBetween(a.ReceivedAt, signed) : null;

    /// <summary>Working time from receipt to the accepted reply's submission, for completed assignments.</summary>
    public static TimeSpan? TimeToComplete(AssignmentFacts a, WorkingCalendar calendar) =>
        a.CompletedAt is not null && a.RepliedAt is { } replied ? calendar.WorkingTimeBetween(a.ReceivedAt, replied) : null;

    /// <summary>
    /// A matter the hotline accepted counts as a reflection of social conditions (Weifang 29), whatever became of it;
    /// one not accepted (Fujian 13: emergencies, other channels, malicious or incomplete) does not.
    /// </summary>
    public static bool CountsAsReflection(MatterFacts m) => !m.Rejected;

    /// <summary>The Monday (China Standard Time) of the ISO week the instant falls in.</summary>
    public static DateOnly WeekStart(DateTimeOffset instant)
    {
        var day = ChinaTime.DayOf(instant);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>
    /// Two matters happened at the same place: the same address (as compared by <see cref="Places.AddressKey"/>), or
    /// both located within <paramref name="radiusMeters"/> of each other (the duplicate finder's radius).
    /// </summary>
    public static bool SamePlace(MatterFacts a, MatterFacts b, double radiusMeters) =>
        (a.AddressKey.Length > 0 && a.AddressKey == b.AddressKey) ||
        (a is { Lat: { } lat1, Lon: { } lon1 } && b is { Lat: { } lat2, Lon: { } lon2 } && Places.DistanceMeters(lat1, lon1, lat2, lon2) <= radiusMeters);
}
