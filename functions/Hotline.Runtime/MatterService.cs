using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Store;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime;

/// <summary>The outcome of one command: the matter after it (or as it stood, when refused) and what happened.</summary>
public sealed record CommandOutcome(Matter? State, IReadOnlyList<MatterEvent> Events, Refusal? Refusal)
{
    public bool Accepted => Refusal is null;
}

/// <summary>
/// The one write path of the system, used by every handler and by alarms: load the matter, decide, commit the new
/// state with its events and effects in one transaction (retrying when another writer got there first), then run
/// the effects. A sweep alarm is put down before the commit, so effects that a crash leaves behind are run by
/// whichever host is alive when it falls due.
/// </summary>
public sealed partial class MatterService(
    MatterStore store,
    AlarmIndex alarms,
    EffectRunner effects,
    EffectBacklog queue,
    Calendars.CalendarStore calendars,
    TimeProvider clock,
    RuntimeOptions options,
    ILogger<MatterService> log)
{
    /// <summary>The lifecycle under the holiday calendar in force now (it changes when staff install a year).</summary>
    public MatterLifecycle Lifecycle => calendars.Current.Lifecycle;

    public Task<StoredMatter?> LoadAsync(string matterId, CancellationToken cancellationToken = default) => store.LoadAsync(matterId, cancellationToken);

    /// <param name="knownNew">The caller just reserved this id, so there is nothing to load on the first attempt.</param>
    public async Task<CommandOutcome> ExecuteAsync(string matterId, MatterCommand command, bool knownNew = false, CancellationToken cancellationToken = default)
    {
        var sweep = new ScheduledAlarm(matterId, ScheduledAlarm.SweepKind, clock.GetUtcNow() + options.SweepDelay);
        // A command from one of the matter's own effects: the running pass's sweep covers this commit's effects too.
        var fromOwnEffect = EffectRunner.IsRunningEffectsOf(matterId);
        var sweepScheduled = fromOwnEffect;
        for (var attempt = 0; ; attempt++)
        {
            var stored = knownNew && attempt == 0 ? null : await store.LoadAsync(matterId, cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            var lifecycle = Lifecycle;
            if (command is not RecomputeDeadlines && stored?.State is { UncoveredCalendarYears.IsEmpty: false } provisional
                && lifecycle.Decide(provisional, new RecomputeDeadlines(Actor.System), now).Accepted)
            {
                // Holiday data arrived for a year this matter's deadlines were provisional in, and the recomputation
                // pass has not reached it yet: no command may act on deadlines the calendar now contradicts.
                await ExecuteAsync(matterId, new RecomputeDeadlines(Actor.System), cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }
            var decision = lifecycle.Decide(stored?.State, command, now);
            if (!decision.Accepted)
            {
                return new CommandOutcome(stored?.State, [], decision.Refusal);
            }

            var state = decision.Events.Aggregate(stored?.State, (s, e) => Matter.Evolve(s, e))!;
            var planned = EffectPlanner.Plan(stored?.State, state, decision.Events);
            if (!sweepScheduled)
            {
                await alarms.ScheduleAsync(sweep, cancellationToken).ConfigureAwait(false);
                sweepScheduled = true;
            }
            try
            {
                await store.CommitAsync(stored?.ETag, state, decision.Events, planned, now, cancellationToken).ConfigureAwait(false);
            }
            catch (MatterConflictException conflict) when (attempt < options.MaxConcurrencyRetries)
            {
                LogConflict(log, matterId, attempt + 1, conflict.Status, conflict.ErrorCode);
                // Each round of a race has one winner; a short random wait spreads the losers out instead of
                // sending them back into the same collision together.
                await Task.Delay(Random.Shared.Next(5, 20 + 10 * Math.Min(attempt, 10)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            LogCommitted(log, matterId, state.Version, new EventNames(decision.Events));
            HotlineMetrics.Committed(state, decision.Events, now);
            if (fromOwnEffect)
            {
                EffectRunner.CommittedMore(matterId);
            }
            else if (options.RunEffectsInline)
            {
                await RunEffectsAsync(matterId, sweep, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                queue.Enqueue(new EffectWork(matterId, sweep));
            }
            return new CommandOutcome(state, decision.Events, null);
        }
    }

    /// <summary>Runs the matter's effects now; when none are left the commit's sweep is no longer needed.</summary>
    public async Task RunEffectsAsync(string matterId, ScheduledAlarm? sweep, CancellationToken cancellationToken = default)
    {
        var remaining = await effects.RunAsync(matterId, cancellationToken).ConfigureAwait(false);
        if (remaining == 0 && sweep is not null)
        {
            await alarms.CancelAsync(sweep, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Matter {MatterId} committed version {Version}: {Events}")]
    private static partial void LogCommitted(ILogger logger, string matterId, int version, EventNames events);

    /// <summary>Event names for the log, joined only when the entry is written.</summary>
    private readonly record struct EventNames(IReadOnlyList<MatterEvent> Events)
    {
        public override string ToString() => string.Join(",", Events.Select(Matter.EventName));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Matter {MatterId} changed under us ({Status} {ErrorCode}); retry {Attempt}")]
    private static partial void LogConflict(ILogger logger, string matterId, int attempt, int status, string? errorCode);
}

public sealed record EffectWork(string MatterId, ScheduledAlarm Sweep);

/// <summary>
/// Effects waiting to run in this process after their commit. Losing its contents (a crash) loses nothing: the
/// effects are stored, and each commit's sweep alarm runs them later.
/// </summary>
public sealed class EffectBacklog
{
    private readonly System.Threading.Channels.Channel<EffectWork> _channel =
        System.Threading.Channels.Channel.CreateUnbounded<EffectWork>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = false });

    private int _unfinished;

    public void Enqueue(EffectWork work)
    {
        Interlocked.Increment(ref _unfinished);
        if (!_channel.Writer.TryWrite(work)) Interlocked.Decrement(ref _unfinished);
    }

    public System.Threading.Channels.ChannelReader<EffectWork> Reader => _channel.Reader;

    /// <summary>Work enqueued and not yet finished (queued or running).</summary>
    public int Unfinished => Volatile.Read(ref _unfinished);

    /// <summary>Called by a worker when it has finished one item, whatever the outcome.</summary>
    public void Finished() => Interlocked.Decrement(ref _unfinished);

    /// <summary>Waits until every enqueued item has finished, or the timeout passes.</summary>
    public async Task WhenIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Unfinished > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
