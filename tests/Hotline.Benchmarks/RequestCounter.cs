using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Benchmarks;

/// <summary>
/// Counts and times the HTTP requests the runtime sends to storage, split by whether they were sent on a caller's
/// request path or by background work (effect workers, alarm pump). That split is what explains a throughput
/// ratio: the storage floor is one request per matter, the runtime's figure is however many this shows, and the
/// time per kind shows where a request's latency goes.
/// </summary>
internal sealed class RequestCounter : HttpPipelinePolicy
{
    // An AsyncLocal flows into everything the load driver's operation awaits, and not into the effect workers or
    // the pump, whose execution contexts were captured when the worker started.
    private static readonly AsyncLocal<bool> RequestPath = new();

    private readonly ConcurrentDictionary<string, Tally> _counts = new(StringComparer.Ordinal);
    private readonly string _tablePrefix;
    private long _bulkMatterReads;

    public RequestCounter(string tablePrefix) => _tablePrefix = tablePrefix;

    /// <summary>Marks the rest of the current async flow as a caller's request path.</summary>
    public static void MarkRequestPath() => RequestPath.Value = true;

    /// <summary>Reads of matters whose id starts with <c>bulk-</c>: the pump delivering a pre-loaded future alarm.</summary>
    public long BulkMatterReads => Interlocked.Read(ref _bulkMatterReads);

    /// <summary>Puts this counter in the pipeline of every storage client the runtime registers.</summary>
    public void AddTo(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var tally = _counts.GetOrAdd(Key(message), _ => new Tally());
        var start = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            tally.Add(Stopwatch.GetElapsedTime(start));
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var tally = _counts.GetOrAdd(Key(message), _ => new Tally());
        var start = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            tally.Add(Stopwatch.GetElapsedTime(start));
        }
    }

    private string Key(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = Uri.UnescapeDataString(message.Request.Uri.Path);
        var resource = path[(path.LastIndexOf('/') + 1)..];
        string what;
        if (resource == "$batch")
        {
            what = "$batch";
        }
        else
        {
            var paren = resource.IndexOf('(', StringComparison.Ordinal);
            var table = paren < 0 ? resource : resource[..paren];
            if (table.StartsWith(_tablePrefix, StringComparison.Ordinal)) table = table[_tablePrefix.Length..];
            var isQuery = paren >= 0 && resource.AsSpan(paren).StartsWith("()");
            what = table + (paren < 0 ? "" : isQuery ? " query" : " row");
            if (table == "Matters" && resource.Contains("PartitionKey='bulk-", StringComparison.Ordinal)) Interlocked.Increment(ref _bulkMatterReads);
        }
        return (RequestPath.Value ? "request    " : "background ") + message.Request.Method.Method.PadRight(6) + " " + what;
    }

    public IReadOnlyDictionary<string, (long Count, TimeSpan Time)> Snapshot() =>
        _counts.ToDictionary(kv => kv.Key, kv => kv.Value.Read(), StringComparer.Ordinal);

    public static IReadOnlyList<RequestKind> Difference(
        IReadOnlyDictionary<string, (long Count, TimeSpan Time)> after, IReadOnlyDictionary<string, (long Count, TimeSpan Time)> before) =>
        after.Select(kv =>
            {
                var was = before.GetValueOrDefault(kv.Key);
                return new RequestKind(kv.Key, kv.Value.Count - was.Count, kv.Value.Time - was.Time);
            })
            .Where(x => x.Count > 0).OrderBy(x => x.Key, StringComparer.Ordinal).ToArray();

    private sealed class Tally
    {
        private long _count;
        private long _ticks;

        public void Add(TimeSpan elapsed)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _ticks, elapsed.Ticks);
        }

        public (long Count, TimeSpan Time) Read() => (Interlocked.Read(ref _count), TimeSpan.FromTicks(Interlocked.Read(ref _ticks)));
    }
}

/// <summary>Requests of one kind (path, method, table): how many, and how long they took in all (to the response).</summary>
internal sealed record RequestKind(string Key, long Count, TimeSpan Time)
{
    public double MeanMs => Count == 0 ? 0 : Time.TotalMilliseconds / Count;
}
