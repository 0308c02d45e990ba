using System.Globalization;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Runtime;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Azure.Data.Tables;

namespace Hotline.CrashTests;

/// <summary>What the channel systems were told: the matter a channel reference became, and the dispatches answered.</summary>
internal sealed record Acknowledged(IReadOnlyDictionary<string, string> MatterByChannelRef, IReadOnlySet<string> Dispatched);

/// <summary>One matter as storage holds it after the run.</summary>
internal sealed record MatterRecord(string Id, Matter State, IReadOnlyList<int> EventVersions, IReadOnlyList<MatterEvent> Events, int PendingEffects);

/// <summary>
/// Reads the whole deployment back from storage, through the runtime's own classes where they exist, and lists
/// every way it breaks the promise that a killed process loses nothing and sends nothing twice.
/// </summary>
internal sealed class CrashAudit(HotlineTables tables)
{
    private readonly MatterStore _store = new(tables.Matters);

    public List<string> Violations { get; } = [];

    public IReadOnlyList<MatterRecord> Matters { get; private set; } = [];

    public IReadOnlyList<OutboxMessage> Sms { get; private set; } = [];

    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in tables.Matters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"state"}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.PartitionKey);
        }
        var matters = new List<MatterRecord>();
        foreach (var id in ids)
        {
            var stored = await _store.LoadAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Matter {id} vanished while reading.");
            var versions = new List<int>();
            await foreach (var row in tables.Matters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {"event-"} and RowKey lt {"event."}"),
                               select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                versions.Add(int.Parse(row.RowKey["event-".Length..], CultureInfo.InvariantCulture));
            }
            var events = await _store.EventsAsync(id, cancellationToken);
            var pending = await _store.PendingEffectsAsync(id, cancellationToken);
            matters.Add(new MatterRecord(id, stored.State, versions, events, pending.Count));
        }
        Matters = matters;
        Sms = await new SmsOutbox(tables.SmsOutbox, TimeProvider.System).ListAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Pending effect rows of every matter (RowKey between 'effect-' and 'effect.').</summary>
    public static async Task<int> PendingEffectsAsync(HotlineTables tables, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in tables.Matters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"effect-"} and RowKey lt {"effect."}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }
        return count;
    }

    /// <summary>a) Every acknowledged matter exists once per channel reference, and its state is the fold of its contiguous history.</summary>
    public async Task CheckMattersAsync(Acknowledged acknowledged, CancellationToken cancellationToken)
    {
        var byId = Matters.ToDictionary(m => m.Id);
        foreach (var (channelRef, id) in acknowledged.MatterByChannelRef)
        {
            if (!byId.TryGetValue(id, out var m)) Violations.Add($"LOST MATTER: {channelRef} was acknowledged as {id}, which is not stored.");
            else if (m.State.Intake.ChannelRef != channelRef) Violations.Add($"Matter {id} was acknowledged for {channelRef} but stores {m.State.Intake.ChannelRef}.");
        }
        foreach (var group in Matters.GroupBy(m => m.State.Intake.ChannelRef).Where(g => g.Count() > 1))
        {
            Violations.Add($"DUPLICATE MATTER: channelRef {group.Key} became {string.Join(", ", group.Select(m => m.Id))}.");
        }
        foreach (var m in Matters.Where(m => !acknowledged.MatterByChannelRef.ContainsKey(m.State.Intake.ChannelRef)))
        {
            Violations.Add($"Matter {m.Id} ({m.State.Intake.ChannelRef}) is stored but no channel was ever told about it.");
        }

        var intake = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in tables.Intake.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            intake[Uri.UnescapeDataString(row.RowKey)] = row.GetString("MatterId") ?? "";
        }
        foreach (var (channelRef, id) in acknowledged.MatterByChannelRef)
        {
            if (!intake.TryGetValue(channelRef, out var reserved)) Violations.Add($"The intake index has no row for {channelRef} ({id}): a retry would create a second matter.");
            else if (reserved != id) Violations.Add($"The intake index maps {channelRef} to {reserved}, the channel was told {id}.");
        }
        foreach (var (channelRef, reserved) in intake.Where(r => !byId.ContainsKey(r.Value)))
        {
            Violations.Add($"The intake index reserves {reserved} for {channelRef}, but no such matter is stored.");
        }

        foreach (var m in Matters)
        {
            var expected = Enumerable.Range(1, m.State.Version);
            if (!m.EventVersions.SequenceEqual(expected))
                Violations.Add($"LOST EVENT: matter {m.Id} is at version {m.State.Version} with event rows [{string.Join(",", m.EventVersions)}].");
            if (m.Events.Count == 0)
            {
                Violations.Add($"Matter {m.Id} has no history.");
                continue;
            }
            var replayed = JsonSerializer.Serialize(Matter.Replay(m.Events), HotlineJson.Options);
            var stored = JsonSerializer.Serialize(m.State, HotlineJson.Options);
            if (replayed != stored) Violations.Add($"Matter {m.Id}: the stored state is not the replay of its {m.Events.Count} events.\nstored:   {stored}\nreplayed: {replayed}");
        }
    }

    /// <summary>b) Every acknowledged dispatch is in the history, once.</summary>
    public void CheckDispatches(Acknowledged acknowledged)
    {
        foreach (var m in Matters)
        {
            var dispatched = m.Events.OfType<MatterDispatched>().Count();
            if (acknowledged.Dispatched.Contains(m.Id) && dispatched == 0) Violations.Add($"LOST EVENT: matter {m.Id} was acknowledged as dispatched and has no matterDispatched event.");
            if (dispatched > 1) Violations.Add($"DUPLICATE EVENT: matter {m.Id} has {dispatched} matterDispatched events.");
            if (!acknowledged.Dispatched.Contains(m.Id)) Violations.Add($"Matter {m.Id}: its dispatch was never acknowledged (the client gave up?).");
        }
    }

    /// <summary>
    /// c) The outbox holds exactly the SMS the histories call for (replayed event by event through the notice
    /// rules): one assignment per dispatch, one reminder and one overdue notice per unsigned matter, nothing twice.
    /// </summary>
    public void CheckSms()
    {
        var byMatter = Sms.ToLookup(s => s.MatterId);
        foreach (var m in Matters)
        {
            var sent = byMatter[m.Id].ToList();
            foreach (var twice in sent.GroupBy(s => s.NoticeKind).Where(g => g.Count() > 1))
            {
                Violations.Add($"SMS SENT TWICE: matter {m.Id} has {twice.Count()} {twice.Key} SMS (keys {string.Join(", ", twice.Select(s => s.RepeatabilityKey))}).");
            }
            var expected = ExpectedNotices(m.Events).Select(n => n.Kind.ToString()).Order(StringComparer.Ordinal).ToList();
            var actual = sent.Select(s => s.NoticeKind).Order(StringComparer.Ordinal).ToList();
            if (!expected.SequenceEqual(actual))
                Violations.Add($"SMS of matter {m.Id}: the history calls for [{string.Join(", ", expected)}], the outbox holds [{string.Join(", ", actual)}].");

            var dispatched = m.Events.OfType<MatterDispatched>().Count();
            var assignments = sent.Count(s => s.NoticeKind == nameof(NoticeKind.Assignment));
            if (assignments != dispatched) Violations.Add($"SMS of matter {m.Id}: {assignments} assignment SMS for {dispatched} dispatch(es).");
            if (m.State.SignedAt is null)
            {
                // A reminder delivered after the deadline (a host was down) rightly sends nothing; every other one sends one SMS.
                var lateReminder = m.Events.OfType<AlarmFired>().Any(f => f.Alarm.Kind == AlarmKind.SignOffReminder && f.At >= m.State.Deadlines.SignBy)
                    || !m.Events.OfType<AlarmFired>().Any(f => f.Alarm.Kind == AlarmKind.SignOffReminder);
                foreach (var kind in new[] { NoticeKind.SignOffReminder, NoticeKind.SignOffOverdue })
                {
                    var n = sent.Count(s => s.NoticeKind == kind.ToString());
                    var wanted = kind == NoticeKind.SignOffReminder && lateReminder ? 0 : 1;
                    if (n != wanted) Violations.Add($"SMS of matter {m.Id}: {n} {kind} SMS, expected {wanted}.");
                }
            }
        }
        foreach (var orphan in Sms.Where(s => !Matters.Any(m => m.Id == s.MatterId)))
        {
            Violations.Add($"SMS {orphan.RepeatabilityKey} is for matter {orphan.MatterId}, which is not stored.");
        }
    }

    /// <summary>
    /// d) No alarm lost: each sign-off alarm fired exactly once and put the matter under supervision, nothing due by
    /// <paramref name="reached"/> is still unfired, no alarm fired twice, and every later alarm is in the index.
    /// </summary>
    public async Task CheckAlarmsAsync(DateTimeOffset reached, CancellationToken cancellationToken)
    {
        var indexed = new HashSet<(string MatterId, string Kind, long AtTicks)>();
        await foreach (var row in tables.Alarms.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            indexed.Add((row.GetString("MatterId")!, row.GetString("Kind")!, row.GetDateTimeOffset("At")!.Value.UtcTicks));
        }
        foreach (var m in Matters)
        {
            var fired = m.Events.OfType<AlarmFired>().Select(f => f.Alarm).ToList();
            foreach (var twice in fired.GroupBy(a => a).Where(g => g.Count() > 1))
                Violations.Add($"DUPLICATE ALARM: matter {m.Id} fired {twice.Key.Kind} at {twice.Key.At:O} {twice.Count()} times.");
            foreach (var kind in new[] { AlarmKind.SignOffReminder, AlarmKind.SignOffOverdue })
            {
                var n = fired.Count(a => a.Kind == kind);
                // The lifecycle drops a reminder that has not fired by the time the overdue alarm fires: not lost, pointless.
                var dropped = kind == AlarmKind.SignOffReminder && n == 0 && fired.Any(a => a.Kind == AlarmKind.SignOffOverdue);
                if (n != 1 && !dropped) Violations.Add($"{(n == 0 ? "LOST ALARM" : "DUPLICATE ALARM")}: matter {m.Id} has {n} alarmFired events for {kind}.");
            }
            if (!m.State.Supervision.Any(s => s.Reason == SupervisionReason.SignOffOverdue && s.LiftedAt is null))
                Violations.Add($"Matter {m.Id} is not under supervision for its overdue sign-off.");
            foreach (var due in MatterAlarms.Of(m.State).Where(a => a.At <= reached))
                Violations.Add($"LOST ALARM: matter {m.Id} still waits for {due.Kind} due {due.At:O}, and the clock reached {reached:O}.");
            foreach (var later in MatterAlarms.Of(m.State).Where(a => a.At > reached))
            {
                var kind = JsonNamingPolicy.CamelCase.ConvertName(later.Kind.ToString());
                if (!indexed.Contains((m.Id, kind, later.At.UtcTicks)))
                    Violations.Add($"LOST ALARM: matter {m.Id} has {later.Kind} pending at {later.At:O}, which is not in the alarm index.");
            }
        }
    }

    /// <summary>e) Every effect ran: none pending, none poisoned, and the staff index shows each matter's last version.</summary>
    public async Task CheckEffectsAsync(CancellationToken cancellationToken)
    {
        foreach (var m in Matters.Where(m => m.PendingEffects > 0))
            Violations.Add($"STUCK EFFECT: matter {m.Id} still has {m.PendingEffects} pending effect(s).");
        foreach (var p in await new PoisonList(tables.Poison).ListAsync(cancellationToken: cancellationToken))
            Violations.Add($"POISONED EFFECT: {p.Kind} {p.EffectId} of matter {p.MatterId} after {p.Attempts} attempts: {p.Error}");
        var index = new MatterIndex(tables.MatterIndex);
        foreach (var m in Matters)
        {
            var summary = await index.GetAsync(m.Id, m.State.Intake.ReceivedAt, cancellationToken);
            if (summary is null) Violations.Add($"LOST EFFECT: matter {m.Id} is missing from the staff index.");
            else if (summary.Version != m.State.Version) Violations.Add($"LOST EFFECT: the staff index shows matter {m.Id} at version {summary.Version}, it is at {m.State.Version}.");
        }
    }

    /// <summary>The notices the planner asks for, event by event, judged on the state each event leads to.</summary>
    private static IEnumerable<Notice> ExpectedNotices(IReadOnlyList<MatterEvent> history)
    {
        Matter? state = null;
        foreach (var e in history)
        {
            state = Matter.Evolve(state, e);
            foreach (var notice in MatterNotices.For(state, [e])) yield return notice;
        }
    }
}
