using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Storage.Tests;

/// <summary>Counts the requests that enter a client's pipeline (per call, before retries).</summary>
internal sealed class CountingPolicy : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);

    public StorageClientOptions Options()
    {
        var options = new StorageClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return options;
    }
}

/// <summary>A recorded request as it left the pipeline, body included.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string Body);

/// <summary>An in-process HTTP handler: records every request and answers from a function (no network).</summary>
internal sealed class FakeHandler(Func<RecordedRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    public StorageClientOptions Options() => new()
    {
        Transport = new HttpClientTransport(new HttpClient(this)),
        Retry = { MaxRetries = 0 },
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(",", values);
        }
        var body = "";
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(",", values);
            }
            body = await request.Content.ReadAsStringAsync(cancellationToken);
        }
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }
        return respond(recorded);
    }

    public static HttpResponseMessage Respond(HttpStatusCode status, string body = "", string contentType = "application/xml") =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
}
