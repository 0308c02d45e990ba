using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Runtime.Sms;

/// <summary>What Communication Services said about one accepted SMS.</summary>
/// <param name="MessageId">The service's id of the outgoing message; delivery reports carry it.</param>
/// <param name="RepeatabilityRequestId">The id derived from the repeatability key.</param>
/// <param name="RepeatabilityResult">"accepted" (also for a repeat the service recognised), or null when not reported.</param>
public sealed record AcsSmsReceipt(string? MessageId, Guid RepeatabilityRequestId, string? RepeatabilityResult);

/// <summary>
/// The SMS port over the Communication Services REST API (<c>POST {endpoint}/sms?api-version=2021-03-07</c>)
/// on Azure.Core's pipeline: retries with back-off on 408, 429, 5xx and transport failures; other 4xx fail at once.
/// Authenticates with the access key (<see cref="AcsHmacAuthenticationPolicy"/>) or an Entra ID token.
/// <para>
/// A retry must not be a second SMS: every attempt of one <see cref="SmsMessage"/> carries the same
/// <c>repeatabilityRequestId</c> (<see cref="AcsRepeatability.RequestId"/> of its key) and the same
/// <c>repeatabilityFirstSent</c>. The service tracks repeatable requests for a few minutes only; a repeat whose
/// first-sent instant is older is refused (412, <see cref="AcsSmsSendException.RepeatabilityRefused"/>) rather
/// than sent again.
/// </para>
/// <para>
/// Personal data: phone numbers and the text go only into the request body. Content logging is forced off and
/// exception messages name the matter and notice kind only.
/// </para>
/// </summary>
public sealed partial class AcsSmsSender : ISmsSender
{
    /// <summary>The SMS REST API version (the one the official SDKs send).</summary>
    public const string ApiVersion = "2021-03-07";

    // Longer than any effect retry schedule, so a late retry in this process still gets the refusal (412) instead
    // of a fresh first-sent instant that the service would treat as a new request.
    private static readonly TimeSpan FirstSentMemory = TimeSpan.FromDays(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);

    private static readonly JsonWriterOptions BodyWriterOptions = new()
    {
        // Chinese text is sent as UTF-8 rather than \u escapes: shorter, and what the official SDKs send.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private readonly HttpPipeline _pipeline;
    private readonly Uri _sendUri;
    private readonly string _from;
    private readonly bool _enableDeliveryReport;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstSent = new(StringComparer.Ordinal);
    private long _nextPruneTicks;

    /// <summary>Creates the sender.</summary>
    /// <param name="connection">The resource and how to authenticate.</param>
    /// <param name="from">The sender: an E.164 number (or alphanumeric sender id) owned by the resource.</param>
    /// <param name="options">Pipeline and send options; content logging is switched off on them.</param>
    /// <param name="time">Clock for request dates and first-sent instants; defaults to the system clock.</param>
    public AcsSmsSender(AcsSmsConnection connection, string from, AcsSmsClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        options ??= new AcsSmsClientOptions();
        options.Diagnostics.IsLoggingContentEnabled = false;
        _time = time ?? TimeProvider.System;
        _from = from;
        _enableDeliveryReport = options.EnableDeliveryReport;
        _sendUri = new Uri(connection.Endpoint, "sms?api-version=" + ApiVersion);

        HttpPipelinePolicy auth = connection.AccessKey is { } key
            ? new AcsHmacAuthenticationPolicy(key, _time)
            : new BearerTokenAuthenticationPolicy(connection.Credential!, AcsSmsConnection.Scope);
        _pipeline = HttpPipelineBuilder.Build(new HttpPipelineOptions(options) { PerRetryPolicies = { auth } });
    }

    /// <summary>
    /// Sends <paramref name="message"/> with its stored first-attempt instant, or else the one this process remembers for
    /// its key (now, on the first call), which survives retries within the process but not a restart: see
    /// <see cref="SendAsync(SmsMessage, DateTimeOffset, CancellationToken)"/> for a stored instant.
    /// </summary>
    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(message, message.FirstAttemptAt ?? RememberFirstSent(message.RepeatabilityKey), cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="message"/> as a repeatable request first sent at <paramref name="firstAttemptAt"/>.
    /// Pass the same instant on every attempt (store it with the effect before the first attempt): an attempt
    /// within the service's tracking window then returns the first attempt's result instead of sending again.
    /// </summary>
    /// <exception cref="AcsSmsSendException">The service did not accept the message for the recipient, or refused the repeat (412).</exception>
    /// <exception cref="RequestFailedException">Any other answer than 202, after the pipeline's retries.</exception>
    /// <exception cref="ArgumentException">The recipient is not a number that can receive SMS.</exception>
    public async Task<AcsSmsReceipt> SendAsync(SmsMessage message, DateTimeOffset firstAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.RepeatabilityKey);
        var to = AcsPhoneNumbers.ToE164(message.To);
        var requestId = AcsRepeatability.RequestId(message.RepeatabilityKey);

        using var http = _pipeline.CreateMessage();
        http.Request.Method = RequestMethod.Post;
        http.Request.Uri.Reset(_sendUri);
        http.Request.Headers.SetValue("Content-Type", "application/json");
        http.Request.Headers.SetValue("Accept", "application/json");
        http.Request.Content = RequestContent.Create(Body(to, message.Text, requestId, firstAttemptAt, Tag(message)));
        await _pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);

        var response = http.Response;
        if (response.Status == 412)
        {
            throw new AcsSmsSendException(412,
                $"Communication Services refused to repeat the SMS for matter {message.MatterId} ({message.NoticeKind}): its first attempt is older than the repeatability window, so an earlier attempt may have been delivered.",
                "rejected");
        }
        if (response.Status != 202)
        {
            throw new RequestFailedException(response);
        }
        return ReadReceipt(response, message, requestId);
    }

    /// <summary>The delivery-report tag: which matter and notice an Event Grid report belongs to (no personal data).</summary>
    public static string Tag(SmsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"{message.MatterId}/{message.NoticeKind}";
    }

    private byte[] Body(string to, string text, Guid requestId, DateTimeOffset firstSent, string tag)
    {
        // Field order and shape as the official SDKs serialise SendMessageRequest.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, BodyWriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("from", _from);
            json.WriteStartArray("smsRecipients");
            json.WriteStartObject();
            json.WriteString("to", to);
            json.WriteString("repeatabilityRequestId", requestId.ToString("D"));
            json.WriteString("repeatabilityFirstSent", firstSent.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("message", text);
            json.WriteStartObject("smsSendOptions");
            json.WriteBoolean("enableDeliveryReport", _enableDeliveryReport);
            json.WriteString("tag", tag);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static AcsSmsReceipt ReadReceipt(Response response, SmsMessage message, Guid requestId)
    {
        JsonElement item;
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            // One recipient per request, so exactly one result; anything else cannot be read as "sent".
            if (!document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 1)
            {
                throw new AcsSmsSendException($"Communication Services answered 202 for matter {message.MatterId} ({message.NoticeKind}) without exactly one recipient result.");
            }
            item = value[0].Clone();
        }
        catch (JsonException ex)
        {
            throw new AcsSmsSendException($"Communication Services answered 202 for matter {message.MatterId} ({message.NoticeKind}) with a body that is not JSON.", ex);
        }

        var status = item.TryGetProperty("httpStatusCode", out var s) && s.TryGetInt32(out var code) ? code : 0;
        var repeatability = StringOrNull(item, "repeatabilityResult");
        if (!(item.TryGetProperty("successful", out var ok) && ok.ValueKind == JsonValueKind.True))
        {
            var error = StringOrNull(item, "errorMessage");
            throw new AcsSmsSendException(status,
                $"Communication Services did not accept the SMS for matter {message.MatterId} ({message.NoticeKind}): recipient status {status}" +
                (repeatability is null ? "" : $", repeatability {repeatability}") +
                (error is null ? "." : $": {Redact(error)}"),
                repeatability);
        }
        return new AcsSmsReceipt(StringOrNull(item, "messageId"), requestId, repeatability);
    }

    private DateTimeOffset RememberFirstSent(string repeatabilityKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(repeatabilityKey);
        var now = _time.GetUtcNow();
        var next = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextPruneTicks, (now + PruneEvery).UtcTicks, next) == next)
        {
            foreach (var (key, at) in _firstSent)
            {
                if (now - at > FirstSentMemory)
                {
                    _firstSent.TryRemove(key, out _);
                }
            }
        }
        return _firstSent.GetOrAdd(repeatabilityKey, now);
    }

    private static string? StringOrNull(JsonElement item, string name) =>
        item.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    // The service's error text may quote the recipient's number; it goes into effect errors and the poison list.
    private static string Redact(string error) => DigitRun().Replace(error, "[number]");

    [GeneratedRegex(@"\+?\d[\d \-]{4,}\d")]
    private static partial Regex DigitRun();
}
