using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Runtime.Tests;

/// <summary>Counts the storage requests a client sends (added to its options), for tests that bound a read's cost.</summary>
internal sealed class RequestCount : HttpPipelinePolicy
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Reset() => Interlocked.Exchange(ref _value, 0);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _value);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _value);
        return ProcessNextAsync(message, pipeline);
    }
}
