using static Hotline.Orchestrations.Lifecycle.RefusalCodes;

namespace Hotline.Orchestrations.Lifecycle;

/// <summary>
/// Long-running matters and legal procedures (Guangzhou, seeds/004) and escalation (Weifang 23).
/// </summary>
/// <remarks>
/// Decided here: while a long-running matter, a legal procedure or an escalation runs, the ordinary handling deadline is
/// held, since the organizer cannot be overdue on a limit the regulation suspends (Guangzhou: "the ordinary deadline must not
/// make the organizer overdue"); only one of them runs at a time. The organizer may not reply, return or extend while the
/// clock is held: the long-term work is ended first (by staff, or for a procedure by either side), and then the organizer has
/// a fresh handling limit to reply (after a legal procedure: the report deadline, Guangzhou's 3 working days, which is not
/// extended). A fresh limit rather than the time left, because what is to be done was decided by the long-term work.
/// </remarks>
public sealed partial class MatterLifecycle
{
    private Decision DecideLongTerm(Matter m, LongTermCommand command, DateTimeOffset now) => command switch
    {
        MarkLongRunning c => MarkLongRunning(m, c, now),
        SubmitSolutionPlan c => SolutionPlan(m, c, now),
        GiveStagedFeedback c => StagedFeedback(m, c, now),
        EndLongRunning c => EndLongRunning(m, c, now),
        StartLegalProcedure c => StartLegalProcedure(m, c, now),
        EndLegalProcedure c => EndLegalProcedure(m, c, now),
        EscalateMatter c => Escalate(m, c, now),
        RecordEscalationOutcome c => EscalationOutcome(m, c, now),
        _ => throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command)),
    };

    /// <summary>What the organizer may not do while the ordinary clock is held or a final report is due.</summary>
    private static Decision? HeldClockRefusal(Matter m, MatterCommand command)
    {
        if (command is not (SubmitReply or ApplyForReturn or ApplyForExtension)) return null;
        if (m.LongTerm.ClockHeldBy is { } by)
            return Decision.Refuse(ClockHeld, $"The matter's ordinary deadline is held by its {by}; it is ended first, then the organizer replies with a fresh limit.");
        if (command is ApplyForExtension && m.LongTerm.FinalReportDue(m))
            return Decision.Refuse(FinalReportNotExtendable, "The final situation after a legal procedure is reported within the profile's limit, which is not extended (Guangzhou).");
        return null;
    }

    private Decision MarkLongRunning(Matter m, MarkLongRunning c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (Profile.LongRunning is not { } rule) return NotInProfile("long-running matters");
        if (m.Status != MatterStatus.Handling) return Status(m, "marked long-running (the organizer signs it first)");
        if (m.LongTerm.ClockHeldBy is { } by) return Held(by);
        if (string.IsNullOrWhiteSpace(c.GuidanceDepartment)) return Invalid("guidanceDepartment", $"Name the business guidance department that supervises the matter. ({rule.Basis})");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say why the matter needs long-term work.");
        return Decision.Of(new LongRunningMarked(now, c.Actor, c.GuidanceDepartment, c.Note, Calendar.AddWorkingDays(now, rule.PlanWorkingDays)));
    }

    private Decision SolutionPlan(Matter m, SubmitSolutionPlan c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (!m.LongTerm.LongRunningActive || Profile.LongRunning is not { } rule) return Decision.Refuse(LongRunningNotActive, "The matter is not long-running.");
        if (string.IsNullOrWhiteSpace(c.Plan)) return Invalid("plan", "The solution plan is empty.");
        return Decision.Of(new SolutionPlanSubmitted(now, c.Actor, c.Plan, Calendar.AddWorkingDays(now, rule.FeedbackIntervalWorkingDays)));
    }

    private Decision StagedFeedback(Matter m, GiveStagedFeedback c, DateTimeOffset now)
    {
        if (!IsLead(m, c.Actor)) return NotLead(m, c);
        if (!m.LongTerm.LongRunningActive || Profile.LongRunning is not { } rule) return Decision.Refuse(LongRunningNotActive, "The matter is not long-running.");
        if (m.LongTerm.LongRunning!.Plan is null)
            return Decision.Refuse(SolutionPlanMissing, $"Staged feedback follows the solution plan; submit the plan first. ({rule.Basis})");
        if (string.IsNullOrWhiteSpace(c.Text)) return Invalid("text", "The staged feedback is empty.");
        return Decision.Of(new StagedFeedbackGiven(now, c.Actor, c.Text, Calendar.AddWorkingDays(now, rule.FeedbackIntervalWorkingDays)));
    }

    private Decision EndLongRunning(Matter m, EndLongRunning c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (!m.LongTerm.LongRunningActive) return Decision.Refuse(LongRunningNotActive, "The matter is not long-running.");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say why the long-term work ends.");
        var (dueBy, cutoff) = HandlingClock(now, m.LimitWorkingDays);
        return Decision.Of(new LongRunningEnded(now, c.Actor, c.Note, dueBy, cutoff, Calendar.UncoveredYears(now, dueBy)));
    }

    private Decision StartLegalProcedure(Matter m, StartLegalProcedure c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff && !IsLead(m, c.Actor)) return NotLead(m, c);
        if (Profile.LegalProcedure is null) return NotInProfile("legal procedures");
        if (m.Status != MatterStatus.Handling) return Status(m, "put through a legal procedure (the organizer signs it first)");
        if (m.LongTerm.ClockHeldBy is { } by) return Held(by);
        if (!Enum.IsDefined(c.Kind)) return Invalid("kind", "Not a kind of legal procedure.");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say which procedure, before which authority.");
        return Decision.Of(new LegalProcedureStarted(now, c.Actor, c.Kind, c.Note));
    }

    private Decision EndLegalProcedure(Matter m, EndLegalProcedure c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff && !IsLead(m, c.Actor)) return NotLead(m, c);
        if (!m.LongTerm.LegalProcedureRunning || Profile.LegalProcedure is not { } rule)
            return Decision.Refuse(LegalProcedureNotRunning, "No legal procedure of the matter is running.");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Say how the procedure ended.");
        var reportBy = Calendar.AddWorkingDays(now, rule.ReportWorkingDays);
        return Decision.Of(new LegalProcedureEnded(now, c.Actor, c.Note, reportBy, Cutoff(reportBy), Calendar.UncoveredYears(now, reportBy)));
    }

    private Decision Escalate(Matter m, EscalateMatter c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (Profile.Escalation is not { } rule) return NotInProfile("escalation");
        if (m.Status != MatterStatus.Handling) return Status(m, "escalated (only a matter its organizer is handling is)");
        if (m.LongTerm.ClockHeldBy is { } by) return Held(by);
        if (string.IsNullOrWhiteSpace(c.Reason)) return Invalid("reason", $"Say why the organizer cannot solve the matter. ({rule.Basis})");
        var dueBy = Calendar.AddWorkingDays(now, rule.StudyWorkingDays);
        return Decision.Of(new MatterEscalated(now, c.Actor, c.Reason, rule.Owner, dueBy, Calendar.UncoveredYears(now, dueBy)));
    }

    private Decision EscalationOutcome(Matter m, RecordEscalationOutcome c, DateTimeOffset now)
    {
        if (c.Actor.Kind != ActorKind.Staff) return NotAllowed(c);
        if (!m.LongTerm.EscalationOpen || Profile.Escalation is not { } rule) return Decision.Refuse(EscalationNotOpen, "The matter has no open escalation.");
        if (!Enum.IsDefined(c.Outcome)) return Invalid("outcome", "Not an escalation outcome.");
        var stage = m.LongTerm.Escalation!.Stage;
        var expected = c.Outcome == Lifecycle.EscalationOutcome.DecidedByExecutiveMeeting ? EscalationStage.ExecutiveMeeting : EscalationStage.Study;
        if (stage != expected)
            return Decision.Refuse(EscalationOutcomeOutOfOrder,
                $"{c.Outcome} does not follow the {stage} stage: the office's study is resolved or put to the executive meeting, which then decides. ({rule.Basis})");
        if (string.IsNullOrWhiteSpace(c.Note)) return Invalid("note", "Record what was decided.");
        if (c.Outcome == Lifecycle.EscalationOutcome.PutToExecutiveMeeting)
        {
            var meetingBy = Calendar.AddWorkingDays(now, rule.MeetingWorkingDays);
            return Decision.Of(new EscalationOutcomeRecorded(now, c.Actor, c.Outcome, c.Note, rule.MeetingOwner, meetingBy,
                UncoveredCalendarYears: Calendar.UncoveredYears(now, meetingBy)));
        }
        var (dueBy, cutoff) = HandlingClock(now, m.LimitWorkingDays);
        return Decision.Of(new EscalationOutcomeRecorded(now, c.Actor, c.Outcome, c.Note, DueBy: dueBy, ExtensionCutoff: cutoff,
            UncoveredCalendarYears: Calendar.UncoveredYears(now, dueBy)));
    }

    private Decision NotInProfile(string what) =>
        Decision.Refuse(RuleNotInProfile, $"Profile {Profile.Id} has no rule for {what}.");

    private static Decision Held(string by) =>
        Decision.Refuse(ClockHeld, $"The matter's ordinary deadline is already held by its {by}; one long-term procedure runs at a time.");
}
