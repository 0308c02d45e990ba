using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Reports;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Effects;

/// <summary>Hands a new lifecycle alarm to the host's scheduler (both schedulers are idempotent: repeating it changes nothing).</summary>
public sealed class AlarmEffectHandler(IAlarmScheduler scheduler) : IEffectHandler
{
    public string Kind => EffectKinds.Alarm;

    public Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken) =>
        scheduler.ScheduleAsync(effect.MatterId, JsonSerializer.Deserialize<Alarm>(effect.Payload, HotlineJson.Options)!, cancellationToken);
}

/// <summary>A closed matter's alarms end with it.</summary>
public sealed class ClosedEffectHandler(IAlarmScheduler scheduler) : IEffectHandler
{
    public string Kind => EffectKinds.Closed;

    public Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken) => scheduler.ClosedAsync(effect.MatterId, cancellationToken);
}

/// <summary>
/// Projects the matter into the staff index and the workbench queues (its current state) and the facts table (its
/// history); older versions never overwrite newer ones.
/// </summary>
public sealed class ProjectionEffectHandler(MatterStore store, MatterIndex index, StaffQueues queues, FactsProjection facts) : IEffectHandler
{
    public string Kind => EffectKinds.Project;

    public async Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        // The facts need the history (the state forgets what an earlier unit did once the matter is reassigned), and the
        // index takes the state replayed from the same read, so both projections show the same version. The runner
        // reads the history with the pending effects, in the same request.
        var history = effect.History ?? await store.EventsAsync(effect.MatterId, cancellationToken).ConfigureAwait(false);
        if (history.Count == 0) return;
        var state = Matter.Replay(history);
        await index.ProjectAsync(state, cancellationToken).ConfigureAwait(false);
        await queues.ProjectAsync(state, cancellationToken: cancellationToken).ConfigureAwait(false);
        await facts.ProjectAsync(history, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Sends the SMS for a notice, with the effect's id as the repeatability key so a retry is not a second SMS.</summary>
public sealed class SmsEffectHandler(DirectoryStore directory, OrganizerLinks links, ISmsSender sender, string language = "zh") : IEffectHandler
{
    public string Kind => EffectKinds.Sms;

    public bool RecordsFirstAttempt => true;

    public async Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        var notice = JsonSerializer.Deserialize<Notice>(effect.Payload, HotlineJson.Options)!;
        var unit = directory.Directory.Find(notice.Organizer)
            ?? throw new InvalidOperationException($"Organizer '{notice.Organizer}' is not in the directory; no SMS can be sent.");
        var contact = notice.Recipient == Recipient.Leader ? unit.Leader : unit.Handler;
        // A unit the matter has left gets no link: it would be dead on arrival.
        var link = notice.CarriesLink
            ? (await links.IssueAsync(effect.MatterId, notice.Organizer, effect.IdempotencyKey,
                notice.Recipient == Recipient.Leader ? OrganizerLinks.LeaderRecipient : OrganizerLinks.HandlerRecipient, cancellationToken).ConfigureAwait(false)).ToString()
            : null;
        var text = NoticeText.Render(notice, effect.MatterId, link, language);
        try
        {
            await sender.SendAsync(new SmsMessage(contact.Phone, text, effect.IdempotencyKey, effect.MatterId, notice.Kind.ToString(), effect.FirstAttemptAt),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            HotlineMetrics.Sms(notice.Kind.ToString(), sent: false);
            throw;
        }
        HotlineMetrics.Sms(notice.Kind.ToString(), sent: true);
    }
}

/// <summary>Revokes a unit's links to a matter that left it or closed (the payload names the unit); repeating it changes nothing.</summary>
public sealed class RevokeLinksEffectHandler(OrganizerLinks links) : IEffectHandler
{
    public string Kind => EffectKinds.RevokeLinks;

    public Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken) =>
        links.RevokeForMatterAsync(effect.MatterId, effect.Payload, cancellationToken);
}

/// <summary>Records a merged duplicate on the surviving matter (a command on another partition, so an effect: at least once).</summary>
public sealed class AbsorbEffectHandler(IServiceProvider services) : IEffectHandler
{
    public string Kind => EffectKinds.Absorb;

    public async Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        // Resolved late: the matter service depends on the effect runner, which depends on this handler.
        var matters = (MatterService)services.GetService(typeof(MatterService))!;
        var outcome = await matters.ExecuteAsync(effect.Payload, new AbsorbDuplicate(Actor.System, effect.MatterId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!outcome.Accepted && outcome.Refusal!.Code != RefusalCodes.DuplicateKnown)
            throw new InvalidOperationException($"Matter {effect.Payload} did not record duplicate {effect.MatterId}: {outcome.Refusal.Code}.");
    }
}

/// <summary>
/// Writes a new matter's duplicate keys, then searches for matters alike and flags them on the matter. Repeating it
/// writes the same keys and finds what it found before, which the lifecycle refuses as nothing new.
/// </summary>
public sealed class DuplicatesEffectHandler(DuplicateIndex index, DuplicateFinder finder, IServiceProvider services) : IEffectHandler
{
    public string Kind => EffectKinds.Duplicates;

    public async Task ExecuteAsync(PendingEffect effect, CancellationToken cancellationToken)
    {
        var probe = JsonSerializer.Deserialize<DuplicateProbe>(effect.Payload, HotlineJson.Options)!;
        // Keys first: a matter alike that searches from now on finds this one, even if this search misses it.
        await index.WriteAsync(effect.MatterId, probe, cancellationToken).ConfigureAwait(false);
        var found = await finder.FindAsync(effect.MatterId, probe, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0) return;
        // Resolved late: the matter service depends on the effect runner, which depends on this handler.
        var matters = (MatterService)services.GetService(typeof(MatterService))!;
        var outcome = await matters.ExecuteAsync(effect.MatterId, new FlagPossibleDuplicates(Actor.System, found), cancellationToken: cancellationToken).ConfigureAwait(false);
        // Already flagged (a repeat), or closed meanwhile (a merge or rejection came first): nothing left to say.
        if (!outcome.Accepted && outcome.Refusal!.Code is not (RefusalCodes.DuplicatesKnown or RefusalCodes.WrongStatus))
            throw new InvalidOperationException($"Matter {effect.MatterId} did not record its possible duplicates: {outcome.Refusal.Code}.");
    }
}
