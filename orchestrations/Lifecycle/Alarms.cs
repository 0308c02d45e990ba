namespace Hotline.Orchestrations.Lifecycle;

/// <summary>
/// The pending deadlines of a matter. The runtime schedules each and fires it back as <see cref="FireAlarm"/>;
/// an alarm that no longer appears here (the matter moved on, the deadline moved, it already fired) is stale.
/// </summary>
public static class MatterAlarms
{
    public static IReadOnlyList<Alarm> Of(Matter m)
    {
        var d = m.Deadlines;
        var candidates = new List<Alarm>();
        void Add(AlarmKind kind, DateTimeOffset? at, bool when = true)
        {
            if (when && at is { } instant) candidates.Add(new Alarm(kind, instant));
        }

        switch (m.Status)
        {
            case MatterStatus.AwaitingDispatch:
                Add(AlarmKind.DispatchDue, d.DispatchBy);
                break;
            case MatterStatus.AwaitingSignOff:
                // Once the sign-off is overdue, a reminder to sign "soon" has no point.
                Add(AlarmKind.SignOffReminder, d.SignOffReminderAt, when: !m.FiredAlarms.Any(a => a.Kind == AlarmKind.SignOffOverdue && a.At == d.SignBy));
                Add(AlarmKind.SignOffOverdue, d.SignBy);
                AddHandlingAlarms();
                break;
            case MatterStatus.Handling:
            case MatterStatus.ReturnRequested:
                AddHandlingAlarms();
                break;
            case MatterStatus.AwaitingEvaluation:
                Add(AlarmKind.EvaluationWindowEnd, d.EvaluationBy);
                break;
            default:
                // A reply under review stops the organizer's clock; terminal matters have no deadlines.
                break;
        }

        // The co-organizers' parts are due whatever the lead is doing (see CoOrganizing.PartDue).
        Add(AlarmKind.CoOrganizerPartDue, CoOrganizing.PartDue(m));

        return candidates
            .Where(a => !m.FiredAlarms.Contains(a))
            .OrderBy(a => a.At)
            .ThenBy(a => a.Kind)
            .ToArray();

        void AddHandlingAlarms()
        {
            Add(AlarmKind.ReturnWindowEnd, d.ReturnBy, when: m.HandlingRound == 1);
            // First contact is owed within the first round of an assignment ("within 1 working day of receipt",
            // Fujian 20(4)); a later round, after the citizen's evaluation or a return visit, follows that contact.
            Add(AlarmKind.ContactDue, d.ContactBy, when: m.ContactedAt is null && m.HandlingRound == 1);
            // A long-running matter, a legal procedure or an escalation holds the ordinary deadline (see MatterLifecycle.LongTerm).
            Add(AlarmKind.ExtensionCutoff, d.ExtensionCutoff, when: !m.LongTerm.ClockHeld);
            Add(AlarmKind.HandlingDue, d.DueBy, when: !m.LongTerm.ClockHeld);
            candidates.AddRange(MatterLongTerm.Alarms(m));
        }
    }

    public static Alarm? Next(Matter m) => Of(m) is [var first, ..] ? first : null;
}
