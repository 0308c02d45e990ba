using System.Net.Http.Headers;
using System.Text.Json;

namespace Hotline.CrashTests;

/// <summary>The answer a client finally got, and whether an earlier attempt may have been applied without it knowing.</summary>
internal sealed record Reply(int Status, string Body, int Attempts, bool Ambiguous)
{
    public bool Acknowledged => Status is >= 200 and < 300;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public string? ProblemCode() => Body.Length > 0 && Json() is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public override string ToString() => $"{Status} after {Attempts} attempt(s){(Ambiguous ? ", earlier attempts ambiguous" : "")}: {Body}";
}

/// <summary>
/// Talks to the host as a channel system does: a request whose outcome it cannot know (connection lost, timeout,
/// 5xx) is sent again with the same body once the host is back, until it gets a definite answer. 429 is retried too.
/// </summary>
internal sealed class ChannelClient(LocalHostProcess host) : IDisposable
{
    public const string ChannelKey = "dev-channel-key";
    public const string StaffKey = "dev-staff-key";

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        // Connections to a killed host are dead; do not keep them around long.
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private int _inFlight;
    private int _retries;

    /// <summary>Requests on the wire right now (for the kill log).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Attempts that had to be repeated.</summary>
    public int Retries => Volatile.Read(ref _retries);

    public Task<Reply> PostAsync(string path, string key, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, key, JsonSerializer.SerializeToUtf8Bytes(body), cancellationToken);

    public Task<Reply> PutAsync(string path, string key, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, key, JsonSerializer.SerializeToUtf8Bytes(body), cancellationToken);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string key, byte[] body, CancellationToken cancellationToken)
    {
        var ambiguous = false;
        for (var attempt = 1; ; attempt++)
        {
            await host.WhenUpAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _inFlight);
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(host.BaseAddress, path.TrimStart('/')));
                request.Headers.Add("x-functions-key", key);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status < 500 && status != 429) return new Reply(status, text, attempt, ambiguous);
                // A 5xx may have been applied before it failed; a 429 was refused before anything happened.
                ambiguous |= status >= 500;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                ambiguous = true;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
            Interlocked.Increment(ref _retries);
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();
}
