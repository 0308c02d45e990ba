using System.Text.Json.Serialization;

namespace Hotline.Orchestrations.Lifecycle;

// What happened to a matter. Events carry every computed instant (deadlines) so that Evolve needs no calendar
// and a stored history replays to the same state under any later profile or calendar data.

[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(MatterSubmitted), "matterSubmitted")]
[JsonDerivedType(typeof(MatterRejected), "matterRejected")]
[JsonDerivedType(typeof(AnsweredOnTheSpot), "answeredOnTheSpot")]
[JsonDerivedType(typeof(MatterDispatched), "matterDispatched")]
[JsonDerivedType(typeof(MatterSigned), "matterSigned")]
[JsonDerivedType(typeof(ReturnApplied), "returnApplied")]
[JsonDerivedType(typeof(ReturnApproved), "returnApproved")]
[JsonDerivedType(typeof(ReturnRefused), "returnRefused")]
[JsonDerivedType(typeof(CitizenContacted), "citizenContacted")]
[JsonDerivedType(typeof(ExtensionApplied), "extensionApplied")]
[JsonDerivedType(typeof(ExtensionApproved), "extensionApproved")]
[JsonDerivedType(typeof(ExtensionRefused), "extensionRefused")]
[JsonDerivedType(typeof(TerminationApplied), "terminationApplied")]
[JsonDerivedType(typeof(TerminationApproved), "terminationApproved")]
[JsonDerivedType(typeof(TerminationRefused), "terminationRefused")]
[JsonDerivedType(typeof(ReplySubmitted), "replySubmitted")]
[JsonDerivedType(typeof(ReplyAccepted), "replyAccepted")]
[JsonDerivedType(typeof(ReplySentBack), "replySentBack")]
[JsonDerivedType(typeof(MatterEvaluated), "matterEvaluated")]
[JsonDerivedType(typeof(HandlingRestarted), "handlingRestarted")]
[JsonDerivedType(typeof(SupervisionStarted), "supervisionStarted")]
[JsonDerivedType(typeof(SupervisionLifted), "supervisionLifted")]
[JsonDerivedType(typeof(AlarmFired), "alarmFired")]
[JsonDerivedType(typeof(MatterClosed), "matterClosed")]
[JsonDerivedType(typeof(MatterMerged), "matterMerged")]
[JsonDerivedType(typeof(DuplicateAbsorbed), "duplicateAbsorbed")]
[JsonDerivedType(typeof(OrganizerReminded), "organizerReminded")]
[JsonDerivedType(typeof(ReturnVisitRecorded), "returnVisitRecorded")]
[JsonDerivedType(typeof(MatterReopened), "matterReopened")]
[JsonDerivedType(typeof(DeadlinesRecomputed), "deadlinesRecomputed")]
[JsonDerivedType(typeof(EvaluationVerified), "evaluationVerified")]
[JsonDerivedType(typeof(LongRunningMarked), "longRunningMarked")]
[JsonDerivedType(typeof(SolutionPlanSubmitted), "solutionPlanSubmitted")]
[JsonDerivedType(typeof(StagedFeedbackGiven), "stagedFeedbackGiven")]
[JsonDerivedType(typeof(LongRunningEnded), "longRunningEnded")]
[JsonDerivedType(typeof(LegalProcedureStarted), "legalProcedureStarted")]
[JsonDerivedType(typeof(LegalProcedureEnded), "legalProcedureEnded")]
[JsonDerivedType(typeof(MatterEscalated), "matterEscalated")]
[JsonDerivedType(typeof(EscalationOutcomeRecorded), "escalationOutcomeRecorded")]
[JsonDerivedType(typeof(CoOrganizersAssigned), "coOrganizersAssigned")]
[JsonDerivedType(typeof(CoOrganizerPartSubmitted), "coOrganizerPartSubmitted")]
[JsonDerivedType(typeof(PossibleDuplicatesFlagged), "possibleDuplicatesFlagged")]
public abstract record MatterEvent(DateTimeOffset At, Actor Actor);

/// <summary>The deadlines an assignment gives an organizer, all computed in working time at dispatch.</summary>
public sealed record AssignmentDeadlines(
    DateTimeOffset SignBy,
    DateTimeOffset SignOffReminderAt,
    DateTimeOffset ReturnBy,
    DateTimeOffset? ContactBy,
    DateTimeOffset DueBy,
    DateTimeOffset ExtensionCutoff);

/// <param name="UncoveredCalendarYears">Years the deadlines cross that have no holiday data: they were computed as ordinary weeks and are provisional.</param>
public sealed record MatterSubmitted(DateTimeOffset At, Actor Actor, string MatterId, Intake Intake, DateTimeOffset DispatchBy, IReadOnlyList<int> UncoveredCalendarYears,
    IReadOnlyList<string>? PossibleDuplicates = null) : MatterEvent(At, Actor);

public sealed record MatterRejected(DateTimeOffset At, Actor Actor, string ReasonCode, string Basis, string? Note) : MatterEvent(At, Actor);

public sealed record AnsweredOnTheSpot(DateTimeOffset At, Actor Actor, string Answer, string? ArticleId) : MatterEvent(At, Actor);

public sealed record MatterDispatched(
    DateTimeOffset At,
    Actor Actor,
    string Organizer,
    IReadOnlyList<string> CoOrganizers,
    bool Designated,
    int LimitWorkingDays,
    AssignmentDeadlines Deadlines,
    IReadOnlyList<int> UncoveredCalendarYears) : MatterEvent(At, Actor);

public sealed record MatterSigned(DateTimeOffset At, Actor Actor) : MatterEvent(At, Actor);

public sealed record ReturnApplied(DateTimeOffset At, Actor Actor, string Reason) : MatterEvent(At, Actor);

/// <param name="DispatchBy">When the matter must be dispatched again (it waits for a dispatcher unless reassigned in the same decision).</param>
public sealed record ReturnApproved(DateTimeOffset At, Actor Actor, string? Note, DateTimeOffset DispatchBy) : MatterEvent(At, Actor);

/// <param name="SignBy">When the matter goes back to waiting for its sign-off: the fresh sign-off deadline (null in events stored before).</param>
public sealed record ReturnRefused(DateTimeOffset At, Actor Actor, string? Note, DateTimeOffset? SignBy = null, DateTimeOffset? SignOffReminderAt = null)
    : MatterEvent(At, Actor);

public sealed record CitizenContacted(DateTimeOffset At, Actor Actor, string Note) : MatterEvent(At, Actor);

public sealed record ExtensionApplied(DateTimeOffset At, Actor Actor, int WorkingDays, string Reason) : MatterEvent(At, Actor);

public sealed record ExtensionApproved(DateTimeOffset At, Actor Actor, string? Note, DateTimeOffset DueBy, DateTimeOffset ExtensionCutoff, IReadOnlyList<int> UncoveredCalendarYears)
    : MatterEvent(At, Actor);

public sealed record ExtensionRefused(DateTimeOffset At, Actor Actor, string? Note) : MatterEvent(At, Actor);

public sealed record TerminationApplied(DateTimeOffset At, Actor Actor, string Reason) : MatterEvent(At, Actor);

public sealed record TerminationApproved(DateTimeOffset At, Actor Actor, string? Note) : MatterEvent(At, Actor);

public sealed record TerminationRefused(DateTimeOffset At, Actor Actor, string? Note) : MatterEvent(At, Actor);

/// <param name="Kind">Solved unless said otherwise (events stored before reply kinds carry none).</param>
public sealed record ReplySubmitted(DateTimeOffset At, Actor Actor, string Text, IReadOnlyList<EvidenceRef> Evidence, ReplyKind Kind = ReplyKind.Solved) : MatterEvent(At, Actor);

public sealed record ReplyAccepted(DateTimeOffset At, Actor Actor, string? Note, DateTimeOffset EvaluationBy) : MatterEvent(At, Actor);

/// <summary>The reply goes back to the organizer. A reply under review stops the organizer's clock; the deadlines here are
/// the pending ones moved on by the time the review took, so the organizer resumes with the time it had left.</summary>
public sealed record ReplySentBack(DateTimeOffset At, Actor Actor, string? Note,
    DateTimeOffset? ReturnBy = null, DateTimeOffset? ContactBy = null, DateTimeOffset? DueBy = null, DateTimeOffset? ExtensionCutoff = null) : MatterEvent(At, Actor);

public sealed record MatterEvaluated(DateTimeOffset At, Actor Actor, EvaluationResult Result, string? Comment) : MatterEvent(At, Actor);

/// <summary>The citizen was unsatisfied: the same organizer handles the matter again with a fresh limit (Fujian 22).</summary>
public sealed record HandlingRestarted(DateTimeOffset At, Actor Actor, int Round, DateTimeOffset DueBy, DateTimeOffset ExtensionCutoff, IReadOnlyList<int> UncoveredCalendarYears)
    : MatterEvent(At, Actor);

/// <param name="Since">When the cause began, if earlier than the decision: an overdue matter is overdue from its deadline,
/// however late the alarm was delivered.</param>
public sealed record SupervisionStarted(DateTimeOffset At, Actor Actor, SupervisionReason Reason, string? Note, DateTimeOffset? Since = null) : MatterEvent(At, Actor);

public sealed record SupervisionLifted(DateTimeOffset At, Actor Actor, string Reason) : MatterEvent(At, Actor);

public sealed record AlarmFired(DateTimeOffset At, Actor Actor, Alarm Alarm) : MatterEvent(At, Actor);

public sealed record MatterClosed(DateTimeOffset At, Actor Actor, Closure Closure) : MatterEvent(At, Actor);

public sealed record MatterMerged(DateTimeOffset At, Actor Actor, string Target, string? Note) : MatterEvent(At, Actor);

/// <param name="Matters">The matters found alike that the matter did not list yet.</param>
public sealed record PossibleDuplicatesFlagged(DateTimeOffset At, Actor Actor, IReadOnlyList<string> Matters) : MatterEvent(At, Actor);

public sealed record DuplicateAbsorbed(DateTimeOffset At, Actor Actor, string Duplicate) : MatterEvent(At, Actor);

public sealed record OrganizerReminded(DateTimeOffset At, Actor Actor, string Organizer, string Note) : MatterEvent(At, Actor);

public sealed record ReturnVisitRecorded(DateTimeOffset At, Actor Actor, bool Solved, string Note) : MatterEvent(At, Actor);

public sealed record EvaluationVerified(DateTimeOffset At, Actor Actor, bool OrganizerResponsible, string Note) : MatterEvent(At, Actor);

/// <summary>A closed matter found unsolved on a return visit goes back to its organizer with a fresh limit.</summary>
public sealed record MatterReopened(DateTimeOffset At, Actor Actor, int Round, DateTimeOffset DueBy, DateTimeOffset ExtensionCutoff, IReadOnlyList<int> UncoveredCalendarYears)
    : MatterEvent(At, Actor);

/// <summary>
/// Deadlines computed as ordinary weeks were computed again with the holiday schedule of <paramref name="Years"/>.
/// </summary>
/// <param name="Deadlines">Every deadline of the matter after the recomputation.</param>
/// <param name="Later">The organizer's deadlines that moved later (each announced by SMS); none ever moves earlier.</param>
/// <param name="UncoveredCalendarYears">The years still without holiday data that the deadlines cross.</param>
public sealed record DeadlinesRecomputed(DateTimeOffset At, Actor Actor, IReadOnlyList<int> Years, Deadlines Deadlines, IReadOnlyList<string> Later,
    IReadOnlyList<int> UncoveredCalendarYears) : MatterEvent(At, Actor);
