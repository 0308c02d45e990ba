namespace Hotline.Orchestrations.Lifecycle;

// What someone asks of a matter. The lifecycle decides whether it may happen (see MatterLifecycle.Decide).

public abstract record MatterCommand(Actor Actor);

/// <summary>A route the intake found for the matter: a lead organizer and co-organizers.</summary>
public sealed record Route(string Organizer, IReadOnlyList<string> CoOrganizers);

/// <param name="AutoDispatch">Urgent matters and matters whose route is certain are dispatched in the same decision.</param>
/// <param name="PossibleDuplicates">Matters the intake found alike (same category nearby, or the same citizen), for staff to look at.</param>
public sealed record SubmitMatter(Actor Actor, string MatterId, Intake Intake, Route? AutoDispatch = null, IReadOnlyList<string>? PossibleDuplicates = null)
    : MatterCommand(Actor);

public sealed record RejectMatter(Actor Actor, string ReasonCode, string? Note) : MatterCommand(Actor);

public sealed record AnswerOnTheSpot(Actor Actor, string Answer, string? ArticleId) : MatterCommand(Actor);

/// <param name="Designated">The platform designated this unit after a dispute over ownership; it may not return the matter (Weifang 22).</param>
/// <param name="StatutoryLimitWorkingDays">A limit a law or regulation sets for this matter; the profile says whether it prevails.</param>
public sealed record DispatchMatter(
    Actor Actor,
    string Organizer,
    IReadOnlyList<string> CoOrganizers,
    bool Designated = false,
    int? StatutoryLimitWorkingDays = null) : MatterCommand(Actor);

public sealed record SignMatter(Actor Actor) : MatterCommand(Actor);

public sealed record ApplyForReturn(Actor Actor, string Reason) : MatterCommand(Actor);

/// <param name="ReassignTo">With an approval: the unit that gets the matter now; without one the matter waits for a dispatcher.</param>
public sealed record DecideReturn(
    Actor Actor,
    bool Approve,
    string? Note,
    string? ReassignTo = null,
    IReadOnlyList<string>? CoOrganizers = null,
    bool Designated = false) : MatterCommand(Actor);

public sealed record RecordContact(Actor Actor, string Note) : MatterCommand(Actor);

public sealed record ApplyForExtension(Actor Actor, int WorkingDays, string Reason) : MatterCommand(Actor);

public sealed record DecideExtension(Actor Actor, bool Approve, string? Note) : MatterCommand(Actor);

public sealed record ApplyForTermination(Actor Actor, string Reason) : MatterCommand(Actor);

public sealed record DecideTermination(Actor Actor, bool Approve, string? Note) : MatterCommand(Actor);

/// <param name="Kind">Solved, or explained as not solvable at present (Fujian 20(7); Weifang 20(3)).</param>
public sealed record SubmitReply(Actor Actor, string Text, IReadOnlyList<EvidenceRef> Evidence, ReplyKind Kind = ReplyKind.Solved) : MatterCommand(Actor);

public sealed record ReviewReply(Actor Actor, bool Accept, string? Note) : MatterCommand(Actor);

public sealed record EvaluateMatter(Actor Actor, EvaluationResult Result, string? Comment) : MatterCommand(Actor);

/// <summary>
/// Staff's verification of an unsatisfied evaluation (Fujian 22: handled again "once it is verified that the organizer is
/// responsible"): responsible, the organizer handles the matter again; not responsible (the citizen asks for what the
/// organizer cannot give, the matter was handled lawfully), the matter closes with the evaluation on record.
/// </summary>
public sealed record VerifyEvaluation(Actor Actor, bool OrganizerResponsible, string Note) : MatterCommand(Actor);

public sealed record PutUnderSupervision(Actor Actor, string Note) : MatterCommand(Actor);

public sealed record LiftSupervision(Actor Actor, string Reason) : MatterCommand(Actor);

/// <summary>Staff merge this matter into another that reports the same thing; this one closes, keeping its history.</summary>
public sealed record MergeInto(Actor Actor, string Target, string? Note) : MatterCommand(Actor);

/// <summary>
/// The platform flags matters that may report the same thing as this one (same category nearby, the same address, the
/// same citizen), found by the duplicate search a moment after intake, for staff to look at and merge.
/// </summary>
public sealed record FlagPossibleDuplicates(Actor Actor, IReadOnlyList<string> Matters) : MatterCommand(Actor);

/// <summary>The surviving matter records the duplicate merged into it.</summary>
public sealed record AbsorbDuplicate(Actor Actor, string Duplicate) : MatterCommand(Actor);

/// <summary>Staff remind the organizer (its handler and leader, by SMS), recorded on the matter (Fujian 24).</summary>
public sealed record RemindOrganizer(Actor Actor, string Note) : MatterCommand(Actor);

/// <summary>
/// The outcome of a return visit to the citizen after the matter closed (Fujian 23, Weifang 25); a matter found
/// not solved is handled again by its organizer.
/// </summary>
public sealed record RecordReturnVisit(Actor Actor, bool Solved, string Note) : MatterCommand(Actor);

/// <summary>The runtime delivering a pending alarm. Stale alarms (the matter moved on) are refused and dropped.</summary>
public sealed record FireAlarm(Alarm Alarm) : MatterCommand(Actor.System);

/// <summary>
/// Holiday data arrived for years in which the matter's deadlines were provisional (computed as ordinary weeks):
/// compute them again from their original instants (see MatterLifecycle.Recompute).
/// </summary>
public sealed record RecomputeDeadlines(Actor Actor) : MatterCommand(Actor);

/// <summary>A co-organizer submits its part of the matter to the lead unit (Fujian 16; Weifang 22).</summary>
public sealed record SubmitCoOrganizerPart(Actor Actor, string Text) : MatterCommand(Actor);
