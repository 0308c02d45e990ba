using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Runtime.Orchestration;

/// <summary>
/// The little a matter's orchestration needs from a durable engine. The Azure host forwards each member to
/// Durable Functions' TaskOrchestrationContext (tests run it on the real engine too); a deterministic fake drives
/// single rounds.
/// </summary>
public interface IMatterOrchestrationContext
{
    string InstanceId { get; }

    /// <summary>The engine's replay-safe "now", on which its durable timers run.</summary>
    DateTime CurrentUtcDateTime { get; }

    Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken);

    Task WaitForSignal(string name, CancellationToken cancellationToken);

    Task<T> CallActivityAsync<T>(string name, object input, ActivityRetry retry);

    void SetCustomStatus(object? status);

    void ContinueAsNew(object input);
}

/// <summary>How often, and how patiently, an activity is tried before the instance fails.</summary>
public sealed record ActivityRetry(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient, TimeSpan MaxInterval);

/// <summary>
/// What the orchestration learns from the stored matter each round. No personal data: history is stored.
/// <paramref name="DueIn"/> is the time from the runtime's clock (<see cref="TimeProvider"/>) to the alarm: the
/// engine's timers run on its own clock, so the orchestration waits that long rather than until the instant. In
/// Azure both clocks are the system clock and the two are the same.
/// </summary>
public sealed record NextAlarm(string MatterId, bool Exists, MatterStatus? Status, bool Closed, Alarm? Alarm, TimeSpan? DueIn = null);

public sealed record FireAlarmInput(string MatterId, AlarmKind Kind, DateTimeOffset At);

/// <summary>What the portal shows for an instance (SetCustomStatus).</summary>
public sealed record OrchestrationStatus(MatterStatus? Status, AlarmKind? NextAlarm, DateTimeOffset? NextAlarmAt);

/// <summary>
/// One Durable orchestration per matter (instance <c>matter-{id}</c>) keeps the lifecycle's timers in Azure. Each
/// round it asks the stored matter for its next alarm, waits for that instant or a "matterChanged" signal, cancels
/// the loser, fires the alarm through the same command path as the local host when the timer wins, and continues
/// as new so its history stays small. A closed matter ends its orchestration.
/// <para>
/// The stored matter is the truth, not the signals: a signal can be lost (one raised while <c>FireAlarm</c> runs
/// is taken by the cancelled waiter of that round, and ContinueAsNew drops pending timers), and that costs
/// nothing because the next round starts by reading the stored matter, which already holds the change the signal
/// announced (a signal is raised only after its change is committed). Signals raised between rounds are kept for
/// the next one (ContinueAsNew with preserveUnprocessedEvents).
/// </para>
/// <para>
/// Both activities are retried with back-off (<see cref="Retry"/>): one storage hiccup must not end the instance,
/// or the matter's deadlines would stop until some later change restarted it. If every attempt fails the instance
/// fails, and the next committed change of the matter starts a new one (host.json lets a start replace an instance
/// that is no longer running).
/// </para>
/// </summary>
public static class MatterOrchestration
{
    public const string Name = "MatterOrchestration";
    public const string ChangedSignal = "matterChanged";
    public const string NextAlarmActivity = "NextAlarm";
    public const string FireAlarmActivity = "FireAlarm";

    /// <summary>About three minutes of patience: longer than a storage throttling episode, short beside any deadline.</summary>
    public static readonly ActivityRetry Retry = new(MaxAttempts: 6, FirstInterval: TimeSpan.FromSeconds(5), BackoffCoefficient: 2, MaxInterval: TimeSpan.FromMinutes(2));

    public static string InstanceId(string matterId) => "matter-" + matterId;

    public static async Task RunAsync(IMatterOrchestrationContext context, string matterId, ActivityRetry? retry = null)
    {
        retry ??= Retry;
        var next = await context.CallActivityAsync<NextAlarm>(NextAlarmActivity, matterId, retry).ConfigureAwait(true);
        context.SetCustomStatus(new OrchestrationStatus(next.Status, next.Alarm?.Kind, next.Alarm?.At));
        if (!next.Exists || next.Closed)
        {
            return;
        }

        using var cancel = new CancellationTokenSource();
        var signal = context.WaitForSignal(ChangedSignal, cancel.Token);
        if (next.Alarm is { } alarm)
        {
            var dueIn = next.DueIn is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
            var timer = context.CreateTimer(context.CurrentUtcDateTime + dueIn, cancel.Token);
            var winner = await Task.WhenAny(timer, signal).ConfigureAwait(true);
            // The loser must be cancelled, or a pending durable timer keeps the instance alive. Synchronously:
            // orchestrator code must stay on the orchestration's own thread (CancelAsync runs callbacks elsewhere).
            cancel.Cancel();
            if (winner == timer)
            {
                await context.CallActivityAsync<bool>(FireAlarmActivity, new FireAlarmInput(matterId, alarm.Kind, alarm.At), retry).ConfigureAwait(true);
            }
        }
        else
        {
            // Nothing is due (e.g. a reply under review): only a change can give the matter a deadline again.
            await signal.ConfigureAwait(true);
        }
        context.ContinueAsNew(matterId);
    }
}

/// <summary>The orchestration's activities: both run the ordinary runtime code.</summary>
public sealed class MatterOrchestrationActivities(MatterService matters, TimeProvider clock)
{
    public async Task<NextAlarm> NextAlarmAsync(string matterId, CancellationToken cancellationToken = default)
    {
        var stored = await matters.LoadAsync(matterId, cancellationToken).ConfigureAwait(false);
        if (stored is null) return new NextAlarm(matterId, Exists: false, null, Closed: false, null);
        var m = stored.State;
        var alarm = MatterAlarms.Next(m);
        return new NextAlarm(matterId, true, m.Status, m.IsTerminal, alarm, alarm is null ? null : alarm.At - clock.GetUtcNow());
    }

    /// <summary>Fires through MatterService like every other change; false when the lifecycle found it stale.</summary>
    public async Task<bool> FireAlarmAsync(FireAlarmInput input, CancellationToken cancellationToken = default)
    {
        var outcome = await matters.ExecuteAsync(input.MatterId, new FireAlarm(new Alarm(input.Kind, input.At)), cancellationToken: cancellationToken).ConfigureAwait(false);
        return outcome.Accepted;
    }
}
