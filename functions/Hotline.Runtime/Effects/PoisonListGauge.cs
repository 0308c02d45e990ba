namespace Hotline.Runtime.Effects;

/// <summary>
/// The gauge <c>hotline.effects.poison_list</c>: how many effects wait on the poison list for an operator. An
/// observable gauge is read synchronously by the metric reader, so it answers the last count and recounts in the
/// background when that count is older than a minute (storage is never queried on the reader's thread).
/// </summary>
public sealed class PoisonListGauge(PoisonList poison, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private long _size;
    private long _countedAt = long.MinValue;
    private int _counting;

    public long Size => Interlocked.Read(ref _size);

    /// <summary>Counts now (start-up, so the first export is true).</summary>
    public async Task CountAsync(CancellationToken cancellationToken = default)
    {
        var entries = await poison.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _size, entries.Count);
        Interlocked.Exchange(ref _countedAt, clock.GetUtcNow().UtcTicks);
    }

    /// <summary>The gauge's callback.</summary>
    public long Observe()
    {
        var stale = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _countedAt) > MaxAge.Ticks;
        if (stale && Interlocked.CompareExchange(ref _counting, 1, 0) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await CountAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is Azure.RequestFailedException or IOException or OperationCanceledException)
                {
                    // Storage hiccup: the last count stays, the next reading tries again. Health reports storage.
                }
                finally
                {
                    Interlocked.Exchange(ref _counting, 0);
                }
            });
        }
        return Size;
    }
}
