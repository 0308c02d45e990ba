using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Orchestrations.Notices;

// Who is told what, and when: organizers learn of every assignment and deadline by SMS (Fujian 17), leaders
// when their unit misses one. The runtime turns each notice into one SMS, exactly once.

public enum NoticeKind
{
    Assignment,
    SignOffReminder,
    SignOffOverdue,
    ExtensionCutoffWarning,
    HandlingOverdue,
    ExtensionDecided,
    ReturnDecided,
    ReplySentBack,
    Rehandling,
    SupervisionReminder,
    DeadlinesLater,
    LongRunningMarked,
    LongRunningGuidance,
    SolutionPlanOverdue,
    StagedFeedbackOverdue,
    LongRunningOverdueGuidance,
    LongTermEnded,
    FinalReportDue,
    MatterEscalated,
    /// <summary>To a co-organizer: its part of a matter, with the link to submit it (Fujian 16; Weifang 22).</summary>
    CoOrganizerAssignment,
    /// <summary>To a co-organizer's leader: its part is overdue (Fujian 30(4)).</summary>
    CoOrganizerPartOverdue,
}

/// <summary>The unit's handler (who does the work) or its leader (who answers for it).</summary>
public enum Recipient { Handler, Leader }

/// <param name="Approved">For decisions: what was decided.</param>
public sealed record Notice(NoticeKind Kind, string Organizer, Recipient Recipient, DateTimeOffset? Deadline, bool? Approved = null)
{
    /// <summary>Whether the SMS carries a link: not when it tells a unit that the matter has left it (an approved return).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool CarriesLink => !(Kind == NoticeKind.ReturnDecided && Approved == true)
        // The business guidance department supervises a long-running matter; the link is the organizer's alone.
        && Kind is not (NoticeKind.LongRunningGuidance or NoticeKind.LongRunningOverdueGuidance);
}

public static class MatterNotices
{
    /// <summary>The notices that the events of one decision give rise to, given the state after them.</summary>
    public static IReadOnlyList<Notice> For(Matter after, IEnumerable<MatterEvent> events)
    {
        var notices = new List<Notice>();
        var d = after.Deadlines;
        foreach (var e in events)
        {
            switch (e)
            {
                case MatterDispatched x:
                    notices.Add(new Notice(NoticeKind.Assignment, x.Organizer, Recipient.Handler, x.Deadlines.SignBy));
                    break;
                case AlarmFired { Alarm.Kind: AlarmKind.SignOffReminder } fired when after.Organizer is { } unit && fired.At < d.SignBy:
                    // A reminder delivered after the deadline (an outage) would only contradict the overdue notice.
                    notices.Add(new Notice(NoticeKind.SignOffReminder, unit, Recipient.Handler, d.SignBy));
                    break;
                case AlarmFired { Alarm.Kind: AlarmKind.SignOffOverdue } when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.SignOffOverdue, unit, Recipient.Leader, d.SignBy));
                    break;
                case AlarmFired { Alarm.Kind: AlarmKind.ExtensionCutoff } when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.ExtensionCutoffWarning, unit, Recipient.Handler, d.DueBy));
                    break;
                case AlarmFired { Alarm.Kind: AlarmKind.HandlingDue } when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.HandlingOverdue, unit, Recipient.Leader, d.DueBy));
                    break;
                case ExtensionApproved when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.ExtensionDecided, unit, Recipient.Handler, d.DueBy, Approved: true));
                    break;
                case ExtensionRefused when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.ExtensionDecided, unit, Recipient.Handler, d.DueBy, Approved: false));
                    break;
                case ReturnApproved when after.PreviousAssignments.LastOrDefault() is { } previous:
                    notices.Add(new Notice(NoticeKind.ReturnDecided, previous.Organizer, Recipient.Handler, null, Approved: true));
                    break;
                case ReturnRefused when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.ReturnDecided, unit, Recipient.Handler, d.DueBy, Approved: false));
                    break;
                case ReplySentBack when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.ReplySentBack, unit, Recipient.Handler, d.DueBy));
                    break;
                case HandlingRestarted or MatterReopened when after.Organizer is { } unit:
                    notices.Add(new Notice(NoticeKind.Rehandling, unit, Recipient.Handler, d.DueBy));
                    break;
                case DeadlinesRecomputed x when x.Later.Count > 0 && after.Organizer is { } unit:
                    // One SMS names the due date when it moved, else the sign-off deadline; the page shows the rest.
                    notices.Add(new Notice(NoticeKind.DeadlinesLater, unit, Recipient.Handler,
                        x.Later.Contains("dueBy") || !x.Later.Contains("signBy") ? d.DueBy : d.SignBy));
                    break;
                case CoOrganizersAssigned or AlarmFired { Alarm.Kind: AlarmKind.CoOrganizerPartDue }:
                    notices.AddRange(CoOrganizerNotices.For(after, e));
                    break;
                case OrganizerReminded x:
                    notices.Add(new Notice(NoticeKind.SupervisionReminder, x.Organizer, Recipient.Handler, d.DueBy));
                    notices.Add(new Notice(NoticeKind.SupervisionReminder, x.Organizer, Recipient.Leader, d.DueBy));
                    break;
            }
        }
        notices.AddRange(LongTermNotices.For(after, events));
        return notices;
    }
}
