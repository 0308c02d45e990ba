using System.Diagnostics;
using System.Globalization;

namespace Hotline.Benchmarks;

/// <summary>Latency figures of a set of samples, in milliseconds.</summary>
internal sealed record Latencies(int Count, double P50, double P99, double Max, double Mean)
{
    public static Latencies Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) return new Latencies(0, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = samples.Order().ToArray();
        return new Latencies(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    // Nearest rank: the smallest sample with at least q of all samples at or below it (no interpolation, so every
    // figure printed is a latency that was actually observed).
    private static double Rank(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms, mean {Mean:0.0} ms (n = {Count:N0})");
}

/// <summary>Throughput and median latency in one slice of the measurement window.</summary>
internal sealed record Slice(TimeSpan From, TimeSpan To, double PerSecond, double P50);

internal sealed record LoadResult(string Name, int Concurrency, TimeSpan Window, long Completed, long Errors, string? FirstError, Latencies Latency, CpuUse Cpu,
    IReadOnlyList<Slice> Slices)
{
    public double PerSecond => Completed / Window.TotalSeconds;

    /// <summary>The slices on one line: a steady figure is flat, a figure that degrades as data accumulates is not.</summary>
    public string Trend => string.Join("  ", Slices.Select(s => string.Create(CultureInfo.InvariantCulture,
        $"{s.From.TotalSeconds:0.#}-{s.To.TotalSeconds:0.#}s {s.PerSecond:N0}/s p50 {s.P50:0}ms")));
}

/// <summary>
/// A closed-loop load: <c>concurrency</c> workers each run the operation back to back. The first
/// <c>warmup</c> is not measured (JIT, connection pool, Azurite's first allocations); throughput and latency come
/// from operations that completed inside the measurement window that follows.
/// </summary>
internal static class LoadDriver
{
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan warmup, TimeSpan window,
        Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var begin = Stopwatch.GetTimestamp();
        var windowStart = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(window.TotalSeconds * Stopwatch.Frequency);
        long completed = 0, errors = 0;
        string? firstError = null;
        var samples = Enumerable.Range(0, concurrency).Select(_ => new List<(long At, double Ms)>(4096)).ToArray();

        var cpuWindow = Task.Run(async () =>
        {
            await Task.Delay(warmup, cancellationToken);
            var a = CpuSample.Take();
            await Task.Delay(window, cancellationToken);
            return CpuSample.Take().Since(a);
        }, cancellationToken);

        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = samples[w];
            while (!cancellationToken.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= windowEnd) break;
                try
                {
                    await operation(cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                    continue;
                }
                var t1 = Stopwatch.GetTimestamp();
                if (t1 >= windowStart && t1 <= windowEnd)
                {
                    Interlocked.Increment(ref completed);
                    mine.Add((t1, (t1 - t0) * 1000.0 / Stopwatch.Frequency));
                }
            }
        }, cancellationToken)).ToArray();

        await Task.WhenAll(workers);
        var cpu = await cpuWindow;
        var all = samples.SelectMany(s => s).ToArray();
        const int SliceCount = 6;
        var sliceTicks = (windowEnd - windowStart) / SliceCount;
        var slices = Enumerable.Range(0, SliceCount).Select(i =>
        {
            var inSlice = all.Where(x => Math.Min((x.At - windowStart) / sliceTicks, SliceCount - 1) == i).Select(x => x.Ms).ToArray();
            var from = window * i / SliceCount;
            var to = window * (i + 1) / SliceCount;
            return new Slice(from, to, inSlice.Length / (to - from).TotalSeconds, Latencies.Of(inSlice).P50);
        }).ToArray();
        return new LoadResult(name, concurrency, window, completed, errors, firstError, Latencies.Of(all.Select(x => x.Ms).ToArray()), cpu, slices);
    }
}
