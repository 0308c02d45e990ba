using Hotline.Runtime.Alarms;
using Hotline.Runtime.Store;
using Microsoft.Extensions.Logging;

namespace Hotline.Runtime.Effects;

/// <summary>
/// Executes a matter's pending effects, at least once each. A failure is retried with exponential back-off (a
/// sweep alarm wakes the matter when the next attempt is due) and after the last attempt the effect moves to the
/// poison list, where staff see it: nothing is dropped silently.
/// </summary>
public sealed partial class EffectRunner(
    MatterStore store,
    IEnumerable<IEffectHandler> handlers,
    AlarmIndex alarms,
    PoisonList poison,
    TimeProvider clock,
    RuntimeOptions options,
    ILogger<EffectRunner> log)
{
    private readonly Dictionary<string, IEffectHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>The matter whose effects run on this async flow, and whether its handlers committed more.</summary>
    private sealed class Pass(string matterId)
    {
        public string MatterId { get; } = matterId;

        public bool CommittedMore { get; set; }
    }

    private static readonly AsyncLocal<Pass?> Running = new();

    // A handler that commits to its own matter again; more passes than this are left to a sweep.
    private const int MaxPasses = 4;

    /// <summary>
    /// True when the caller is one of <paramref name="matterId"/>'s own effects. A command it commits to that matter
    /// leaves its effects to the pass that is running (<see cref="CommittedMore"/>), whose sweep alarm still covers them:
    /// running them from inside would run the pass's unfinished effects a second time.
    /// </summary>
    public static bool IsRunningEffectsOf(string matterId) => Running.Value?.MatterId == matterId;

    /// <summary>Tells the running pass that its matter has new effects to run before it ends.</summary>
    public static void CommittedMore(string matterId)
    {
        if (Running.Value is { } pass && pass.MatterId == matterId) pass.CommittedMore = true;
    }

    /// <summary>Runs every due effect of the matter, and those its handlers' own commits add; returns how many remain pending.</summary>
    public async Task<int> RunAsync(string matterId, CancellationToken cancellationToken = default)
    {
        var outer = Running.Value;
        var pass = new Pass(matterId);
        Running.Value = pass;
        try
        {
            for (var n = 1; ; n++)
            {
                pass.CommittedMore = false;
                var remaining = await RunPassAsync(matterId, cancellationToken).ConfigureAwait(false);
                if (!pass.CommittedMore) return remaining;
                if (n == MaxPasses)
                {
                    // The last pass's handlers committed effects it did not run: a sweep of their own runs them.
                    await alarms.ScheduleAsync(new ScheduledAlarm(matterId, ScheduledAlarm.SweepKind, clock.GetUtcNow() + options.SweepDelay), cancellationToken)
                        .ConfigureAwait(false);
                    return remaining + 1;
                }
            }
        }
        finally
        {
            Running.Value = outer;
        }
    }

    private async Task<int> RunPassAsync(string matterId, CancellationToken cancellationToken)
    {
        var (pending, history) = await store.PendingEffectsWithHistoryAsync(matterId, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0) return 0;

        var now = clock.GetUtcNow();
        var done = new List<PendingEffect>();
        DateTimeOffset? nextAttempt = null;
        foreach (var effect in pending)
        {
            if (effect.NotBefore > now)
            {
                nextAttempt = Min(nextAttempt, effect.NotBefore);
                continue;
            }
            var current = effect with { History = history };
            try
            {
                var handler = _handlers.GetValueOrDefault(effect.Kind) ?? throw new InvalidOperationException($"No handler for effect kind '{effect.Kind}'.");
                if (handler.RecordsFirstAttempt && effect.FirstAttemptAt is null)
                {
                    if (await store.MarkFirstAttemptAsync(effect, now, cancellationToken).ConfigureAwait(false) is not { } marked)
                    {
                        continue; // another runner has it now
                    }
                    current = marked;
                }
                await handler.ExecuteAsync(current, cancellationToken).ConfigureAwait(false);
                done.Add(current);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var attempt = effect.Attempts + 1;
                var error = $"{ex.GetType().Name}: {ex.Message}";
                LogEffectFailed(log, effect.Kind, effect.Id, matterId, attempt, ex.GetType().Name);
                if (attempt >= options.MaxEffectAttempts)
                {
                    await poison.AddAsync(current, attempt, error, now, cancellationToken).ConfigureAwait(false);
                    HotlineMetrics.EffectPoisoned(effect.Kind);
                    done.Add(current);
                }
                else
                {
                    var retryAt = now + Backoff(attempt);
                    await store.DeferAsync(current, retryAt, error, cancellationToken).ConfigureAwait(false);
                    nextAttempt = Min(nextAttempt, retryAt);
                }
            }
        }

        await store.CompleteAsync(matterId, done, cancellationToken).ConfigureAwait(false);
        if (nextAttempt is { } at)
        {
            await alarms.ScheduleAsync(new ScheduledAlarm(matterId, ScheduledAlarm.SweepKind, at), cancellationToken).ConfigureAwait(false);
        }
        return pending.Count - done.Count;
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(options.EffectRetryBase.Ticks * (1L << Math.Min(attempt - 1, 16)), TimeSpan.FromHours(1).Ticks));

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Effect {Kind} {EffectId} of matter {MatterId} failed on attempt {Attempt} ({ErrorType})")]
    private static partial void LogEffectFailed(ILogger logger, string kind, string effectId, string matterId, int attempt, string errorType);
}
