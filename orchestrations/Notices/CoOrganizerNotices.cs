using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Orchestrations.Notices;

/// <summary>The co-organizers' notices: each learns of its part by SMS with its own link, and its leader when the part is overdue.</summary>
public static class CoOrganizerNotices
{
    public static IEnumerable<Notice> For(Matter after, MatterEvent e) => e switch
    {
        CoOrganizersAssigned x => x.CoOrganizers.Select(co => new Notice(NoticeKind.CoOrganizerAssignment, co, Recipient.Handler, x.PartBy)),
        // Only the parts this alarm was for and still missing: a unit that submitted in time hears nothing.
        AlarmFired { Alarm.Kind: AlarmKind.CoOrganizerPartDue } fired => after.OverdueParts
            .Where(p => p.PartBy == fired.Alarm.At)
            .Select(p => new Notice(NoticeKind.CoOrganizerPartOverdue, p.Organizer, Recipient.Leader, p.PartBy)),
        _ => [],
    };
}
