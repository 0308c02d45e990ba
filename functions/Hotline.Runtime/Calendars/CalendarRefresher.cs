using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Projections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime.Calendars;

/// <summary>What a recomputation pass did.</summary>
public sealed record RecomputeReport(int Recomputed, int LeftAlone, int Failed);

/// <summary>
/// Recomputes the deadlines of open matters that were provisional for a year the calendar now covers, each through
/// the lifecycle (<see cref="RecomputeDeadlines"/>), so the change is an event on the matter's timeline, its alarms
/// are rescheduled and later deadlines are announced. The pass is idempotent: a matter already recomputed (by this
/// or another host) is refused by the lifecycle and counted as left alone.
/// </summary>
public sealed partial class ProvisionalDeadlines(MatterIndex index, MatterService matters, CalendarStore calendars, ILogger<ProvisionalDeadlines> log)
{
    private static readonly MatterStatus[] Recomputable =
        [MatterStatus.AwaitingDispatch, MatterStatus.AwaitingSignOff, MatterStatus.Handling, MatterStatus.ReturnRequested, MatterStatus.AwaitingEvaluation];

    public async Task<RecomputeReport> RecomputeAsync(CancellationToken cancellationToken = default)
    {
        var holidays = calendars.Current.Holidays;
        int recomputed = 0, leftAlone = 0, failed = 0;
        await foreach (var (matterId, status, years) in index.ProvisionalAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!years.Any(holidays.Covers) || !Recomputable.Contains(status)) continue;
            try
            {
                var outcome = await matters.ExecuteAsync(matterId, new RecomputeDeadlines(Actor.System), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (outcome.Accepted) recomputed++;
                else leftAlone++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One matter's failure must not stop the others; MatterService recomputes it before its next command.
                failed++;
                LogFailed(log, ex, matterId);
            }
        }
        LogPass(log, recomputed, leftAlone, failed);
        return new RecomputeReport(recomputed, leftAlone, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not recompute the provisional deadlines of matter {MatterId}")]
    private static partial void LogFailed(ILogger logger, Exception ex, string matterId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provisional deadlines: {Recomputed} matters recomputed, {LeftAlone} left alone, {Failed} failed")]
    private static partial void LogPass(ILogger logger, int recomputed, int leftAlone, int failed);
}

/// <summary>
/// Both hosts run this: it reads the installed holiday schedules at start and then every
/// <see cref="RuntimeOptions.CalendarRefreshInterval"/>, so a year installed on any instance is in force here within
/// that interval. When the covered years grow (or at start, or after a failed pass), it recomputes the provisional
/// deadlines the new years settle.
/// </summary>
public sealed partial class CalendarRefresher(CalendarStore calendars, ProvisionalDeadlines provisional, RuntimeOptions options, ILogger<CalendarRefresher> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlySet<int>? recomputedFor = null;
        using var timer = new PeriodicTimer(options.CalendarRefreshInterval);
        do
        {
            try
            {
                var snapshot = await calendars.RefreshAsync(stoppingToken).ConfigureAwait(false);
                var covered = snapshot.Holidays.CoveredYears;
                if (recomputedFor is null || !covered.IsSubsetOf(recomputedFor))
                {
                    await provisional.RecomputeAsync(stoppingToken).ConfigureAwait(false);
                    recomputedFor = covered;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(log, ex);
            }
        }
        while (await Tick(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the holiday calendar; the last one read stays in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
