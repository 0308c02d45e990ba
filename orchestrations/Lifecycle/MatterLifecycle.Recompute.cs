using static Hotline.Orchestrations.Lifecycle.RefusalCodes;

namespace Hotline.Orchestrations.Lifecycle;

public sealed partial class MatterLifecycle
{
    /// <summary>
    /// Recomputes deadlines that were provisional because a year had no holiday data, now that <see cref="Calendar"/>
    /// covers it: each from the instant it was first computed from (receipt or return for dispatch, the assignment for
    /// the organizer's deadlines, the start of the handling round plus granted extensions for the due date, the
    /// reply's acceptance for the evaluation window).
    /// </summary>
    /// <remarks>
    /// Organizers plan on what they were told, so a deadline of theirs never moves earlier: if the real schedule
    /// gives an earlier instant (an adjusted working weekend), the announced one stands; a later one is announced
    /// (see Notices). A deadline already passed stays as it is: its alarm may have fired and what followed
    /// (supervision, notices) is history. A reply under review has stopped the organizer's clock, so such a matter
    /// is left alone, as are closed ones.
    /// </remarks>
    private Decision Recompute(Matter m, RecomputeDeadlines c, DateTimeOffset now)
    {
        if (c.Actor.Kind is not (ActorKind.System or ActorKind.Staff)) return NotAllowed(c);
        var years = m.UncoveredCalendarYears.Where(Calendar.Holidays.Covers).ToArray();
        if (years.Length == 0)
            return Decision.Refuse(NotProvisional, "The matter has no provisional deadlines in a year the calendar now covers.");
        if (m.Status == MatterStatus.ReplyUnderReview) return Status(m, "recomputed while its reply is under review");

        var old = m.Deadlines;
        var later = new List<string>();
        var organizerFacing = m.Organizer is not null;
        DateTimeOffset? Pick(string name, DateTimeOffset? was, DateTimeOffset? fresh, bool announced)
        {
            if (was is not { } before || fresh is not { } after || before <= now) return was;
            if (announced && after < before) return before;
            if (announced && after > before) later.Add(name);
            return after;
        }

        var deadlines = old;
        DateTimeOffset origin;
        switch (m.Status)
        {
            case MatterStatus.AwaitingDispatch:
                origin = m.Returns.LastOrDefault(r => r.Approved == true)?.DecidedAt ?? m.Intake.ReceivedAt;
                deadlines = old with { DispatchBy = Pick("dispatchBy", old.DispatchBy, Calendar.AddWorkingDays(origin, Profile.Dispatch.WorkingDays), false) };
                break;
            case MatterStatus.AwaitingSignOff or MatterStatus.Handling or MatterStatus.ReturnRequested:
                var at = m.Assignment!.At;
                var roundStart = m.HandlingRound == 1
                    ? at
                    : m.Timeline.Last(t => t.Event is "handlingRestarted" or "matterReopened").At;
                origin = roundStart;
                var due = Calendar.AddWorkingDays(roundStart, m.LimitWorkingDays);
                foreach (var extension in m.Extensions.Where(x => x.Round == m.HandlingRound && x.Approved == true))
                    due = Calendar.AddWorkingDays(due, extension.WorkingDays);
                var contact = Profile.FirstContactFor(m.Intake.Type);
                var dueBy = Pick("dueBy", old.DueBy, due, organizerFacing);
                deadlines = old with
                {
                    SignBy = Pick("signBy", old.SignBy, Calendar.AddWorkingTime(at, Profile.SignOff.Window), organizerFacing),
                    SignOffReminderAt = Pick("signOffReminderAt", old.SignOffReminderAt,
                        Calendar.AddWorkingTime(at, Profile.SignOff.Window - Profile.SignOff.ReminderLead), organizerFacing),
                    ReturnBy = Pick("returnBy", old.ReturnBy, Calendar.AddWorkingDays(at, Profile.Return.WorkingDays), organizerFacing),
                    ContactBy = Pick("contactBy", old.ContactBy, contact is null ? null : Calendar.AddWorkingDays(at, contact.WorkingDays), organizerFacing),
                    DueBy = dueBy,
                    ExtensionCutoff = Pick("extensionCutoff", old.ExtensionCutoff, dueBy is { } d ? Cutoff(d) : null, organizerFacing),
                };
                break;
            case MatterStatus.AwaitingEvaluation:
                origin = m.LatestReply?.ReviewedAt ?? now;
                deadlines = old with
                {
                    EvaluationBy = Pick("evaluationBy", old.EvaluationBy, Calendar.AddWorkingDays(origin, Profile.Evaluation.WindowWorkingDays), false),
                };
                break;
            default:
                return Status(m, "recomputed");
        }

        var latest = new[] { deadlines.DispatchBy, deadlines.SignBy, deadlines.ReturnBy, deadlines.ContactBy, deadlines.DueBy, deadlines.EvaluationBy }
            .Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(origin).Max();
        var stillUncovered = m.UncoveredCalendarYears.Where(y => !Calendar.Holidays.Covers(y))
            .Union(Calendar.UncoveredYears(origin, latest)).Order().ToArray();
        return Decision.Of(new DeadlinesRecomputed(now, c.Actor, years, deadlines, later, stillUncovered));
    }
}
