using System.Collections.Immutable;

namespace Hotline.Orchestrations.Lifecycle;

// Matters whose handling outlasts the ordinary limit (see MatterLifecycle.LongTerm for the rules):
// - long-running matters (Guangzhou, seeds/004): staff mark them; the organizer and the business guidance department are
//   notified; the organizer submits a solution plan and staged feedback at the profile's interval; staff end it;
// - legal procedure (Guangzhou): the organizer records the procedure; when it ends the final situation is reported
//   within the profile's working days (3);
// - escalation (Weifang 23): a matter the organizer cannot solve is studied by the municipal government office and,
//   if unresolved, put to the executive meeting.
// While any of them runs, the ordinary handling deadline is held (its alarms do not fire); when it ends the organizer
// gets a fresh handling limit (a legal procedure: the report deadline) to reply.

public enum LegalProcedureKind { Litigation, Arbitration, AdministrativeReconsideration, AdministrativeEnforcement, Other }

public enum EscalationOutcome
{
    /// <summary>The government office's study with the departments resolved it.</summary>
    Resolved,
    /// <summary>Still unresolved after the study: put to the government's executive meeting.</summary>
    PutToExecutiveMeeting,
    /// <summary>The executive meeting decided it.</summary>
    DecidedByExecutiveMeeting,
}

public enum EscalationStage { Study, ExecutiveMeeting, Concluded }

// ---- Commands ----

public abstract record LongTermCommand(Actor Actor) : MatterCommand(Actor);

/// <summary>Staff mark a matter long-running and name the business guidance department that supervises it (Guangzhou).</summary>
public sealed record MarkLongRunning(Actor Actor, string GuidanceDepartment, string Note) : LongTermCommand(Actor);

/// <summary>The organizer's solution plan for a long-running matter (Guangzhou); a later one revises it.</summary>
public sealed record SubmitSolutionPlan(Actor Actor, string Plan) : LongTermCommand(Actor);

/// <summary>The organizer's staged feedback to the citizen and the office (Guangzhou).</summary>
public sealed record GiveStagedFeedback(Actor Actor, string Text) : LongTermCommand(Actor);

public sealed record EndLongRunning(Actor Actor, string Note) : LongTermCommand(Actor);

/// <summary>The organizer (or staff) records that the matter goes through a legal procedure (Guangzhou).</summary>
public sealed record StartLegalProcedure(Actor Actor, LegalProcedureKind Kind, string Note) : LongTermCommand(Actor);

public sealed record EndLegalProcedure(Actor Actor, string Note) : LongTermCommand(Actor);

/// <summary>Staff escalate a matter the organizer cannot solve to the municipal government office (Weifang 23).</summary>
public sealed record EscalateMatter(Actor Actor, string Reason) : LongTermCommand(Actor);

public sealed record RecordEscalationOutcome(Actor Actor, EscalationOutcome Outcome, string Note) : LongTermCommand(Actor);

// ---- Events ----

public abstract record LongTermEvent(DateTimeOffset At, Actor Actor) : MatterEvent(At, Actor);

public sealed record LongRunningMarked(DateTimeOffset At, Actor Actor, string GuidanceDepartment, string Note, DateTimeOffset PlanBy) : LongTermEvent(At, Actor);

public sealed record SolutionPlanSubmitted(DateTimeOffset At, Actor Actor, string Plan, DateTimeOffset NextFeedbackBy) : LongTermEvent(At, Actor);

public sealed record StagedFeedbackGiven(DateTimeOffset At, Actor Actor, string Text, DateTimeOffset NextFeedbackBy) : LongTermEvent(At, Actor);

/// <param name="DueBy">The organizer's fresh handling deadline: the held one is replaced.</param>
public sealed record LongRunningEnded(DateTimeOffset At, Actor Actor, string Note, DateTimeOffset DueBy, DateTimeOffset ExtensionCutoff, IReadOnlyList<int> UncoveredCalendarYears)
    : LongTermEvent(At, Actor);

public sealed record LegalProcedureStarted(DateTimeOffset At, Actor Actor, LegalProcedureKind Kind, string Note) : LongTermEvent(At, Actor);

/// <param name="ReportBy">The final situation is reported by then; it becomes the organizer's handling deadline.</param>
public sealed record LegalProcedureEnded(DateTimeOffset At, Actor Actor, string Note, DateTimeOffset ReportBy, DateTimeOffset ExtensionCutoff, IReadOnlyList<int> UncoveredCalendarYears)
    : LongTermEvent(At, Actor);

public sealed record MatterEscalated(DateTimeOffset At, Actor Actor, string Reason, string Owner, DateTimeOffset DueBy, IReadOnlyList<int> UncoveredCalendarYears)
    : LongTermEvent(At, Actor);

/// <param name="Owner">With <see cref="EscalationOutcome.PutToExecutiveMeeting"/>: the meeting, with its clock in <paramref name="EscalationDueBy"/>.</param>
/// <param name="DueBy">When the escalation concludes: the organizer's fresh handling deadline.</param>
public sealed record EscalationOutcomeRecorded(DateTimeOffset At, Actor Actor, EscalationOutcome Outcome, string Note,
    string? Owner = null, DateTimeOffset? EscalationDueBy = null, DateTimeOffset? DueBy = null, DateTimeOffset? ExtensionCutoff = null,
    IReadOnlyList<int>? UncoveredCalendarYears = null) : LongTermEvent(At, Actor);

// ---- State ----

public sealed record StagedFeedbackRecord(string Text, DateTimeOffset At);

public sealed record LongRunningRecord(string GuidanceDepartment, string Note, DateTimeOffset MarkedAt, Actor By, DateTimeOffset PlanBy)
{
    public string? Plan { get; init; }
    public DateTimeOffset? PlanAt { get; init; }
    public DateTimeOffset? NextFeedbackBy { get; init; }
    public ImmutableList<StagedFeedbackRecord> Feedback { get; init; } = [];
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndNote { get; init; }
}

public sealed record LegalProcedureRecord(LegalProcedureKind Kind, string Note, DateTimeOffset StartedAt, Actor By)
{
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndNote { get; init; }
    public DateTimeOffset? ReportBy { get; init; }
}

public sealed record EscalationStep(EscalationOutcome Outcome, string Note, DateTimeOffset At, Actor By);

public sealed record EscalationRecord(string Reason, DateTimeOffset At, Actor By, string Owner, EscalationStage Stage, DateTimeOffset DueBy)
{
    public ImmutableList<EscalationStep> Outcomes { get; init; } = [];
    public DateTimeOffset? ConcludedAt { get; init; }
}

/// <summary>The matter's latest long-running, legal-procedure and escalation records (the events keep every one).</summary>
public sealed record LongTermState(LongRunningRecord? LongRunning = null, LegalProcedureRecord? LegalProcedure = null, EscalationRecord? Escalation = null)
{
    public bool LongRunningActive => LongRunning is { EndedAt: null };
    public bool LegalProcedureRunning => LegalProcedure is { EndedAt: null };
    public bool EscalationOpen => Escalation is { ConcludedAt: null };

    /// <summary>What holds the ordinary handling deadline, if anything: "longRunning", "legalProcedure" or "escalation".</summary>
    public string? ClockHeldBy => LongRunningActive ? "longRunning" : LegalProcedureRunning ? "legalProcedure" : EscalationOpen ? "escalation" : null;

    public bool ClockHeld => ClockHeldBy is not null;

    /// <summary>A legal procedure ended and its final situation is still to be reported (the reply is the report).</summary>
    public bool FinalReportDue(Matter m) =>
        LegalProcedure is { EndedAt: { } ended } && m.Status == MatterStatus.Handling && !m.Replies.Any(r => r.At >= ended);
}

public static partial class RefusalCodes
{
    public const string RuleNotInProfile = "rule.not-in-profile";
    public const string ClockHeld = "longTerm.clock-held";
    public const string LongRunningNotActive = "longRunning.not-active";
    public const string SolutionPlanMissing = "longRunning.plan-missing";
    public const string LegalProcedureNotRunning = "legalProcedure.not-running";
    public const string FinalReportNotExtendable = "legalProcedure.report-not-extendable";
    public const string EscalationNotOpen = "escalation.not-open";
    public const string EscalationOutcomeOutOfOrder = "escalation.outcome-out-of-order";
}

/// <summary>The folds and alarms of the long-term records; <see cref="Matter"/> and <see cref="MatterAlarms"/> call these.</summary>
public static class MatterLongTerm
{
    public static Matter Apply(Matter m, LongTermEvent e)
    {
        var lt = m.LongTerm;
        return e switch
        {
            LongRunningMarked x => m with { LongTerm = lt with { LongRunning = new LongRunningRecord(x.GuidanceDepartment, x.Note, x.At, x.Actor, x.PlanBy) } },
            SolutionPlanSubmitted x => m with { LongTerm = lt with { LongRunning = lt.LongRunning! with { Plan = x.Plan, PlanAt = x.At, NextFeedbackBy = x.NextFeedbackBy } } },
            StagedFeedbackGiven x => m with
            {
                LongTerm = lt with { LongRunning = lt.LongRunning! with { Feedback = lt.LongRunning.Feedback.Add(new StagedFeedbackRecord(x.Text, x.At)), NextFeedbackBy = x.NextFeedbackBy } },
            },
            LongRunningEnded x => m with
            {
                LongTerm = lt with { LongRunning = lt.LongRunning! with { EndedAt = x.At, EndNote = x.Note } },
                Deadlines = m.Deadlines with { DueBy = x.DueBy, ExtensionCutoff = x.ExtensionCutoff },
                UncoveredCalendarYears = m.UncoveredCalendarYears.Union(x.UncoveredCalendarYears),
            },
            LegalProcedureStarted x => m with { LongTerm = lt with { LegalProcedure = new LegalProcedureRecord(x.Kind, x.Note, x.At, x.Actor) } },
            LegalProcedureEnded x => m with
            {
                LongTerm = lt with { LegalProcedure = lt.LegalProcedure! with { EndedAt = x.At, EndNote = x.Note, ReportBy = x.ReportBy } },
                Deadlines = m.Deadlines with { DueBy = x.ReportBy, ExtensionCutoff = x.ExtensionCutoff },
                UncoveredCalendarYears = m.UncoveredCalendarYears.Union(x.UncoveredCalendarYears),
            },
            MatterEscalated x => m with
            {
                LongTerm = lt with { Escalation = new EscalationRecord(x.Reason, x.At, x.Actor, x.Owner, EscalationStage.Study, x.DueBy) },
                UncoveredCalendarYears = m.UncoveredCalendarYears.Union(x.UncoveredCalendarYears),
            },
            EscalationOutcomeRecorded x => Outcome(m, x),
            _ => throw new InvalidOperationException($"Unknown event {e.GetType().Name}."),
        };
    }

    private static Matter Outcome(Matter m, EscalationOutcomeRecorded x)
    {
        var escalation = m.LongTerm.Escalation!;
        escalation = escalation with { Outcomes = escalation.Outcomes.Add(new EscalationStep(x.Outcome, x.Note, x.At, x.Actor)) };
        if (x.Outcome == EscalationOutcome.PutToExecutiveMeeting)
        {
            escalation = escalation with { Stage = EscalationStage.ExecutiveMeeting, Owner = x.Owner ?? escalation.Owner, DueBy = x.EscalationDueBy ?? escalation.DueBy };
            return m with { LongTerm = m.LongTerm with { Escalation = escalation } };
        }
        return m with
        {
            LongTerm = m.LongTerm with { Escalation = escalation with { Stage = EscalationStage.Concluded, ConcludedAt = x.At } },
            Deadlines = m.Deadlines with { DueBy = x.DueBy ?? m.Deadlines.DueBy, ExtensionCutoff = x.ExtensionCutoff ?? m.Deadlines.ExtensionCutoff },
            UncoveredCalendarYears = m.UncoveredCalendarYears.Union(x.UncoveredCalendarYears ?? []),
        };
    }

    /// <summary>The organizer's fresh handling deadline an event gives when long-term work ends; null for the others.</summary>
    public static DateTimeOffset? FreshDueBy(LongTermEvent e) => e switch
    {
        LongRunningEnded x => x.DueBy,
        LegalProcedureEnded x => x.ReportBy,
        EscalationOutcomeRecorded x => x.DueBy,
        _ => null,
    };

    /// <summary>The long-term alarms of a matter being handled: the plan or the next staged feedback, the escalation's clock.</summary>
    public static IEnumerable<Alarm> Alarms(Matter m)
    {
        if (m.Status != MatterStatus.Handling) yield break;
        var lt = m.LongTerm;
        if (lt.LongRunningActive)
        {
            var r = lt.LongRunning!;
            if (r.Plan is null) yield return new Alarm(AlarmKind.SolutionPlanDue, r.PlanBy);
            else if (r.NextFeedbackBy is { } next) yield return new Alarm(AlarmKind.StagedFeedbackDue, next);
        }
        if (lt.EscalationOpen) yield return new Alarm(AlarmKind.EscalationDue, lt.Escalation!.DueBy);
    }
}
