using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Effects;

/// <summary>Puts a new lifecycle alarm into the alarm index (an upsert of one row: repeating it changes nothing).</summary>
public sealed class AlarmEffectHandler(AlarmIndex index) : IEffectHandler
{
    public string Kind => EffectKinds.Alarm;

    public Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        var alarm = JsonSerializer.Deserialize<Alarm>(effect.Payload, HotlineJson.Options)!;
        return index.ScheduleAsync(ScheduledAlarm.For(effect.MatterId, alarm), cancellationToken);
    }
}

/// <summary>Projects the matter's current state into the staff index; older versions never overwrite newer ones.</summary>
public sealed class ProjectionEffectHandler(MatterStore store, MatterIndex index) : IEffectHandler
{
    public string Kind => EffectKinds.Project;

    public async Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(effect.MatterId, cancellationToken).ConfigureAwait(false);
        if (stored is not null) await index.ProjectAsync(stored.State, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Sends the SMS for a notice, with the effect's id as the repeatability key so a retry is not a second SMS.</summary>
public sealed class SmsEffectHandler(OrganizerDirectory directory, OrganizerLinks links, ISmsSender sender, string language = "zh") : IEffectHandler
{
    public string Kind => EffectKinds.Sms;

    public async Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        var notice = JsonSerializer.Deserialize<Notice>(effect.Payload, HotlineJson.Options)!;
        var unit = directory.Find(notice.Organizer)
            ?? throw new InvalidOperationException($"Organizer '{notice.Organizer}' is not in the directory; no SMS can be sent.");
        var contact = notice.Recipient == Recipient.Leader ? unit.Leader : unit.Handler;
        var link = await links.IssueAsync(effect.MatterId, notice.Organizer, effect.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        var text = NoticeText.Render(notice, effect.MatterId, link.ToString(), language);
        await sender.SendAsync(new SmsMessage(contact.Phone, text, effect.IdempotencyKey, effect.MatterId, notice.Kind.ToString()), cancellationToken).ConfigureAwait(false);
    }
}
