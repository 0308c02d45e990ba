using Hotline.Orchestrations.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime.Alarms;

/// <summary>
/// Delivers due alarms: claims them from the index, fires each through the same command path as any other change
/// (a stale one is refused by the lifecycle and dropped), runs sweeps, and completes them. A failure leaves the
/// alarm claimed until its lease ends, when this or another host delivers it again.
/// </summary>
public sealed partial class AlarmPump(AlarmIndex index, MatterService matters, TimeProvider clock, RuntimeOptions options, ILogger<AlarmPump> log)
{
    /// <summary>Delivers the alarms due now; returns how many it claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var claimed = await index.ClaimDueAsync(clock.GetUtcNow(), options.AlarmLease, options.AlarmBatchSize, cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            try
            {
                await DeliverAsync(c.Alarm, ct).ConfigureAwait(false);
                await index.CompleteAsync(c, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogDeliveryFailed(log, ex, c.Alarm.Kind, c.Alarm.MatterId);
            }
        }).ConfigureAwait(false);
        return claimed.Count;
    }

    /// <summary>Delivers until nothing is due (used after the development clock jumps).</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        for (var round = 0; round < 1000; round++)
        {
            var n = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>
    /// Delivers until nothing is due, then waits until no alarm due by now is left in the index at all, so that one
    /// another pump (the background worker, another host) claimed first has been delivered and completed too. Used after
    /// the development clock jumps: whoever reads next (a test, a staff list) sees every due alarm's outcome, whichever
    /// pump delivered it. Gives up after <paramref name="timeout"/> (a failed delivery stays claimed until its lease ends).
    /// </summary>
    /// <returns>How many alarms this pump delivered.</returns>
    public async Task<int> SettleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var total = await DrainAsync(cancellationToken).ConfigureAwait(false);
        var giveUp = DateTime.UtcNow + timeout;
        while (await index.CountDueAsync(clock.GetUtcNow(), cancellationToken).ConfigureAwait(false) > 0 && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            total += await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    private async Task DeliverAsync(ScheduledAlarm alarm, CancellationToken cancellationToken)
    {
        if (alarm.ToAlarm() is not { } lifecycleAlarm)
        {
            await matters.RunEffectsAsync(alarm.MatterId, sweep: null, cancellationToken).ConfigureAwait(false);
            return;
        }
        var outcome = await matters.ExecuteAsync(alarm.MatterId, new FireAlarm(lifecycleAlarm), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            LogDropped(log, alarm.Kind, alarm.MatterId, outcome.Refusal!.Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm {Kind} of matter {MatterId} could not be delivered; it is retried when its lease ends")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception ex, string kind, string matterId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alarm {Kind} of matter {MatterId} dropped: {Code}")]
    private static partial void LogDropped(ILogger logger, string kind, string matterId, string code);
}
