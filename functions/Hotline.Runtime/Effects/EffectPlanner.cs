using System.Globalization;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;

namespace Hotline.Runtime.Effects;

/// <summary>What a committed change must cause outside its partition: new alarms, notices, the staff index.</summary>
public static class EffectPlanner
{
    public static IReadOnlyList<EffectDraft> Plan(Matter? before, Matter after, IEnumerable<MatterEvent> events)
    {
        var drafts = new List<EffectDraft>();
        var known = before is null ? [] : MatterAlarms.Of(before).ToHashSet();
        foreach (var alarm in MatterAlarms.Of(after).Where(a => !known.Contains(a)))
        {
            drafts.Add(new EffectDraft(EffectKinds.Alarm, JsonSerializer.Serialize(alarm, HotlineJson.Options)));
        }
        if (after.IsTerminal && before is not { IsTerminal: true })
        {
            drafts.Add(new EffectDraft(EffectKinds.Closed, ""));
        }
        foreach (var notice in MatterNotices.For(after, events))
        {
            drafts.Add(new EffectDraft(EffectKinds.Sms, JsonSerializer.Serialize(notice, HotlineJson.Options)));
        }
        foreach (var merged in events.OfType<MatterMerged>())
        {
            drafts.Add(new EffectDraft(EffectKinds.Absorb, merged.Target));
        }
        foreach (var unit in Units(before).Except(Units(after), StringComparer.Ordinal))
        {
            drafts.Add(new EffectDraft(EffectKinds.RevokeLinks, unit));
        }
        drafts.Add(new EffectDraft(EffectKinds.Project, after.Version.ToString(CultureInfo.InvariantCulture)));
        // After the projection: by the time a matter searches, it is findable itself, so of two alike matters received
        // together at least one finds the other.
        foreach (var submitted in events.OfType<MatterSubmitted>())
        {
            drafts.Add(new EffectDraft(EffectKinds.Duplicates, JsonSerializer.Serialize(Projections.DuplicateProbe.Of(submitted.Intake), HotlineJson.Options)));
        }
        return drafts;
    }

    /// <summary>The units whose links to the matter work: its lead and co-organizers while it is open.</summary>
    private static IEnumerable<string> Units(Matter? m) =>
        m is { IsTerminal: false, Assignment: { } a } ? [a.Organizer, .. a.CoOrganizers] : [];
}
