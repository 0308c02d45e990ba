using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Runtime.Alarms;

/// <summary>
/// Where a matter's new lifecycle alarms go. The local host puts them in the alarm index, polled by the alarm pump;
/// the Azure host signals the matter's Durable orchestration, which keeps the timer.
/// </summary>
public interface IAlarmScheduler
{
    Task ScheduleAsync(string matterId, Alarm alarm, CancellationToken cancellationToken);

    /// <summary>The matter closed: it has no deadlines any more.</summary>
    Task ClosedAsync(string matterId, CancellationToken cancellationToken);
}

/// <summary>The local host's scheduler: one row in the alarm index per alarm.</summary>
public sealed class IndexAlarmScheduler(AlarmIndex index) : IAlarmScheduler
{
    public Task ScheduleAsync(string matterId, Alarm alarm, CancellationToken cancellationToken) =>
        index.ScheduleAsync(ScheduledAlarm.For(matterId, alarm), cancellationToken);

    /// <summary>Nothing to do: the matter's rows left in the index are refused as stale when they fall due, then deleted.</summary>
    public Task ClosedAsync(string matterId, CancellationToken cancellationToken) => Task.CompletedTask;
}
