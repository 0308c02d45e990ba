using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Runtime.Orchestration;

/// <summary>
/// The little a matter's orchestration needs from a durable engine. The Azure host forwards each member to
/// Durable Functions' TaskOrchestrationContext; tests use a deterministic fake.
/// </summary>
public interface IMatterOrchestrationContext
{
    string InstanceId { get; }

    Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken);

    Task WaitForSignal(string name, CancellationToken cancellationToken);

    Task<T> CallActivityAsync<T>(string name, object input);

    void SetCustomStatus(object? status);

    void ContinueAsNew(object input);
}

/// <summary>What the orchestration learns from the stored matter each round. No personal data: history is stored.</summary>
public sealed record NextAlarm(string MatterId, bool Exists, MatterStatus? Status, bool Closed, Alarm? Alarm);

public sealed record FireAlarmInput(string MatterId, AlarmKind Kind, DateTimeOffset At);

/// <summary>What the portal shows for an instance (SetCustomStatus).</summary>
public sealed record OrchestrationStatus(MatterStatus? Status, AlarmKind? NextAlarm, DateTimeOffset? NextAlarmAt);

/// <summary>
/// One Durable orchestration per matter (instance <c>matter-{id}</c>) keeps the lifecycle's timers in Azure. Each
/// round it asks the stored matter for its next alarm (the stored matter stays the truth: signals can be lost at an
/// instance's start, and ContinueAsNew drops pending timers), waits for that instant or a "matterChanged" signal,
/// cancels the loser, fires the alarm through the same command path as the local host when the timer wins, and
/// continues as new so its history stays small. A closed matter ends its orchestration.
/// </summary>
public static class MatterOrchestration
{
    public const string Name = "MatterOrchestration";
    public const string ChangedSignal = "matterChanged";
    public const string NextAlarmActivity = "NextAlarm";
    public const string FireAlarmActivity = "FireAlarm";

    public static string InstanceId(string matterId) => "matter-" + matterId;

    public static async Task RunAsync(IMatterOrchestrationContext context, string matterId)
    {
        var next = await context.CallActivityAsync<NextAlarm>(NextAlarmActivity, matterId).ConfigureAwait(true);
        context.SetCustomStatus(new OrchestrationStatus(next.Status, next.Alarm?.Kind, next.Alarm?.At));
        if (!next.Exists || next.Closed)
        {
            return;
        }

        using var cancel = new CancellationTokenSource();
        var signal = context.WaitForSignal(ChangedSignal, cancel.Token);
        if (next.Alarm is { } alarm)
        {
            var timer = context.CreateTimer(alarm.At.UtcDateTime, cancel.Token);
            var winner = await Task.WhenAny(timer, signal).ConfigureAwait(true);
            // The loser must be cancelled, or a pending durable timer keeps the instance alive. Synchronously:
            // orchestrator code must stay on the orchestration's own thread (CancelAsync runs callbacks elsewhere).
            cancel.Cancel();
            if (winner == timer)
            {
                await context.CallActivityAsync<bool>(FireAlarmActivity, new FireAlarmInput(matterId, alarm.Kind, alarm.At)).ConfigureAwait(true);
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
public sealed class MatterOrchestrationActivities(MatterService matters)
{
    public async Task<NextAlarm> NextAlarmAsync(string matterId, CancellationToken cancellationToken = default)
    {
        var stored = await matters.LoadAsync(matterId, cancellationToken).ConfigureAwait(false);
        if (stored is null) return new NextAlarm(matterId, Exists: false, null, Closed: false, null);
        var m = stored.State;
        return new NextAlarm(matterId, true, m.Status, m.IsTerminal, MatterAlarms.Next(m));
    }

    /// <summary>Fires through MatterService like every other change; false when the lifecycle found it stale.</summary>
    public async Task<bool> FireAlarmAsync(FireAlarmInput input, CancellationToken cancellationToken = default)
    {
        var outcome = await matters.ExecuteAsync(input.MatterId, new FireAlarm(new Alarm(input.Kind, input.At)), cancellationToken: cancellationToken).ConfigureAwait(false);
        return outcome.Accepted;
    }
}
