using Hotline.Runtime.Alarms;
using Hotline.Runtime.Organizers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime;

/// <summary>
/// The local host's background work: the alarm pump, polling the alarm index, and the effect workers, running
/// effects of commits made by this process. Stopping it loses nothing: alarms stay in the index and effects in
/// their matters, found again by the sweeps.
/// </summary>
public sealed partial class RuntimeWorker(
    AlarmPump pump, MatterService matters, EffectBacklog backlog, DirectoryStore directory, RuntimeOptions options, ILogger<RuntimeWorker> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.EffectWorkers).Select(_ => RunEffectsAsync(stoppingToken))
            .Append(PumpAlarmsAsync(stoppingToken)).Append(RefreshDirectoryAsync(stoppingToken)));

    private async Task RefreshDirectoryAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.DirectoryRefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await directory.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRefreshFailed(log, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PumpAlarmsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.AlarmPollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Keep draining while there is a backlog; otherwise wait for the next tick.
                if (await pump.RunOnceAsync(stoppingToken).ConfigureAwait(false) > 0) continue;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPumpFailed(log, ex);
            }
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunEffectsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in backlog.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await matters.RunEffectsAsync(work.MatterId, work.Sweep, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The sweep alarm of the commit will run them again.
                    LogEffectsFailed(log, ex, work.MatterId);
                }
                finally
                {
                    backlog.Finished();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the organizer directory; the last one read stays in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "The alarm pump failed; it polls again on the next tick")]
    private static partial void LogPumpFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Effects of matter {MatterId} failed here; the sweep alarm runs them again")]
    private static partial void LogEffectsFailed(ILogger logger, Exception ex, string matterId);
}
