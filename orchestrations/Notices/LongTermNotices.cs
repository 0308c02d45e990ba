using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Orchestrations.Notices;

/// <summary>
/// The SMS of long-running matters, legal procedures (Guangzhou) and escalation (Weifang 23). The business guidance
/// department is told by its leader, without a link: the link grants the matter's organizer alone.
/// </summary>
public static class LongTermNotices
{
    public static IEnumerable<Notice> For(Matter after, IEnumerable<MatterEvent> events)
    {
        var unit = after.Organizer;
        var running = after.LongTerm.LongRunning;
        foreach (var e in events)
        {
            switch (e)
            {
                case LongRunningMarked x when unit is not null:
                    yield return new Notice(NoticeKind.LongRunningMarked, unit, Recipient.Handler, x.PlanBy);
                    yield return new Notice(NoticeKind.LongRunningGuidance, x.GuidanceDepartment, Recipient.Leader, x.PlanBy);
                    break;
                case AlarmFired { Alarm.Kind: AlarmKind.SolutionPlanDue or AlarmKind.StagedFeedbackDue } x when unit is not null && running is not null:
                    yield return new Notice(x.Alarm.Kind == AlarmKind.SolutionPlanDue ? NoticeKind.SolutionPlanOverdue : NoticeKind.StagedFeedbackOverdue,
                        unit, Recipient.Leader, x.Alarm.At);
                    yield return new Notice(NoticeKind.LongRunningOverdueGuidance, running.GuidanceDepartment, Recipient.Leader, x.Alarm.At);
                    break;
                case LongRunningEnded x when unit is not null:
                    yield return new Notice(NoticeKind.LongTermEnded, unit, Recipient.Handler, x.DueBy);
                    break;
                case EscalationOutcomeRecorded { DueBy: { } due } when unit is not null:
                    yield return new Notice(NoticeKind.LongTermEnded, unit, Recipient.Handler, due);
                    break;
                case LegalProcedureEnded x when unit is not null:
                    yield return new Notice(NoticeKind.FinalReportDue, unit, Recipient.Handler, x.ReportBy);
                    break;
                case MatterEscalated x when unit is not null:
                    yield return new Notice(NoticeKind.MatterEscalated, unit, Recipient.Handler, x.DueBy);
                    break;
            }
        }
    }
}
