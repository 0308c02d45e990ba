using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime.Evidence;
using Hotline.Runtime.Organizers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

/// <summary>Whose link it is: the lead unit, which handles and replies, or a co-organizer, which gives its part (Fujian 16; Weifang 22).</summary>
public enum OrganizerRole { Lead, CoOrganizer }

/// <param name="Overdue">Missing at its deadline (the alarm fired): the co-organizer is coping passively (Fujian 30(4)).</param>
public sealed record PartView(string Organizer, Text? OrganizerName, DateTimeOffset PartBy, DateTimeOffset? SubmittedAt, string? Text, bool Late, bool Overdue);

public sealed record PartBody(string? Text);

public static partial class OrganizerEndpoints
{
    /// <summary>
    /// A co-organizer's view: the matter, its own part and deadline, and nothing of the lead's work. The citizen stays
    /// masked: the lead contacts the citizen (Fujian 20(4)), so the co-organizer's part needs no contact details, and no
    /// disclosure is made.
    /// </summary>
    private static Task<OrganizerView> CoOrganizerViewAsync(HttpContext http, Matter m, Actor unit, OrganizerActions actions, DateTimeOffset now)
    {
        var sp = http.RequestServices;
        var own = m.CoOrganizerParts.Where(p => p.Organizer == unit.Id).ToArray();
        var d = m.Deadlines;
        return Task.FromResult(new OrganizerView(m.Id, m.Status, m.Intake.Type, m.Intake.Urgency, m.Intake.Category, m.Intake.Title, m.Intake.Description,
            m.Intake.Location, MatterViews.Masked(m.Intake.Citizen),
            m.Organizer!, sp.GetRequiredService<DirectoryStore>().Directory.Find(m.Organizer!)?.Name, m.Assignment?.CoOrganizers ?? [], m.Intake.ReceivedAt, now,
            new DeadlinesView(null, null, null, null, d.DueBy, null, null),
            actions, new ExtensionInfo(0, 0, null), m.PendingTermination is not null, [],
            [.. m.Timeline.Select(t => new ProgressStep(t.At, t.Event))],
            sp.GetRequiredService<EvidenceStore>().Limits, m.Supervised, Role: OrganizerRole.CoOrganizer, Parts: Parts(m, own, sp)));
    }

    private static IReadOnlyList<PartView> Parts(Matter m, IEnumerable<CoOrganizerPart> parts, IServiceProvider sp)
    {
        var directory = sp.GetRequiredService<DirectoryStore>().Directory;
        var overdue = m.OverdueParts;
        return [.. parts.Select(p => new PartView(p.Organizer, directory.Find(p.Organizer)?.Name, p.PartBy, p.SubmittedAt, p.Text, p.Late, overdue.Contains(p)))];
    }
}
