using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Core.Diagnostics;
using Hotline.Runtime.Sms;

namespace Hotline.Sms.Tests;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Repeatability, failures, retries and Entra ID of <see cref="AcsSmsSender"/> against the loopback listener.</summary>
public sealed class AcsSmsSenderTests
{
    private const string From = "+18005550100";

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(64);

    private static SmsMessage Message(string key = "M-2026-000200-e3", string text = "【12345】请签收工单 M-2026-000200") =>
        new("13905710002", text, key, "M-2026-000200", "Assigned");

    private static AcsSmsSender Sender(LoopbackAcs acs, TimeProvider? time = null, Action<AcsSmsClientOptions>? configure = null)
    {
        var options = new AcsSmsClientOptions { Transport = acs.Transport() };
        // Short, fixed back-off keeps the retry tests fast; the count stays Azure.Core's default.
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        configure?.Invoke(options);
        return new AcsSmsSender(AcsSmsConnection.Parse($"endpoint={acs.Endpoint};accesskey={Convert.ToBase64String(Key)}"), From, options, time);
    }

    private static (string Id, string FirstSent) Repeatability(CapturedRequest request)
    {
        var recipient = request.Json().GetProperty("smsRecipients")[0];
        return (recipient.GetProperty("repeatabilityRequestId").GetString()!, recipient.GetProperty("repeatabilityFirstSent").GetString()!);
    }

    [Fact]
    public async Task Sending_the_same_message_again_repeats_its_id_and_first_sent_instant_with_a_fresh_signature()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var sender = Sender(acs, clock);
        var first = clock.Now;

        await sender.SendAsync(Message(), CancellationToken.None);
        clock.Now += TimeSpan.FromSeconds(90);
        await sender.SendAsync(Message(), CancellationToken.None);
        await sender.SendAsync(Message(key: "M-2026-000200-e4"), CancellationToken.None);

        var requests = acs.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Equal(Repeatability(requests[0]), Repeatability(requests[1]));
        Assert.Equal(AcsRepeatability.RequestId("M-2026-000200-e3").ToString("D"), Repeatability(requests[0]).Id);
        Assert.Equal(first.ToString("R", CultureInfo.InvariantCulture), Repeatability(requests[1]).FirstSent);
        Assert.NotEqual(Repeatability(requests[0]).Id, Repeatability(requests[2]).Id);
        // The request date moves with each attempt (the service rejects stale dates); the first-sent instant does not.
        Assert.NotEqual(requests[0].Header("x-ms-date"), requests[1].Header("x-ms-date"));
        var verifier = new AcsHmacVerifier(Key);
        Assert.True(verifier.Verify(requests[0], first).Accepted);
        Assert.True(verifier.Verify(requests[1], clock.Now).Accepted);

        // After a restart the stored first-attempt instant gives the same repeatable request.
        var restarted = Sender(acs, clock);
        await restarted.SendAsync(Message(), first, CancellationToken.None);
        Assert.Equal(Repeatability(requests[0]), Repeatability(acs.Requests.Last()));
    }

    [Fact]
    public async Task A_throttled_or_failing_attempt_is_retried_with_the_same_body_and_a_client_error_is_not()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        acs.Respond = (request, n) => n switch
        {
            1 => (429, """{"error":{"code":"TooManyRequests","message":"slow down"}}"""),
            2 => (503, """{"error":{"code":"ServiceUnavailable","message":"try later"}}"""),
            _ => (202, LoopbackAcs.Accepted(request)),
        };
        var receipt = await Sender(acs).SendAsync(Message(), DateTimeOffset.UtcNow, CancellationToken.None);

        var attempts = acs.Requests.ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));
        Assert.All(attempts, a => Assert.True(new AcsHmacVerifier(Key).Verify(a, DateTimeOffset.UtcNow).Accepted));
        Assert.Equal("accepted", receipt.RepeatabilityResult);

        await using var strict = await LoopbackAcs.StartAsync();
        strict.Respond = (_, _) => (400, """{"error":{"code":"BadRequest","message":"Invalid from phone number"}}""");
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Sender(strict).SendAsync(Message(), CancellationToken.None));
        Assert.Equal(400, error.Status);
        Assert.Equal("BadRequest", error.ErrorCode);
        Assert.Single(strict.Requests);
    }

    [Fact]
    public async Task A_recipient_failure_inside_a_202_throws_and_names_no_number_or_text()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        acs.Respond = (_, _) => (202, """
            {"value":[{"to":"+8613905710002","httpStatusCode":400,"successful":false,
                       "errorMessage":"Invalid To phone number +86 139-0571-0002"}]}
            """);
        var error = await Assert.ThrowsAsync<AcsSmsSendException>(() => Sender(acs).SendAsync(Message(), CancellationToken.None));

        Assert.Equal(400, error.Status);
        Assert.False(error.RepeatabilityRefused);
        Assert.Contains("M-2026-000200 (Assigned)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid To phone number", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0571", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("请签收", error.Message, StringComparison.Ordinal);
        // Only the pipeline retries transport-level failures; a per-recipient answer is final for this attempt.
        Assert.Single(acs.Requests);
    }

    [Fact]
    public async Task A_repeat_outside_the_tracking_window_is_refused_not_sent_again()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        acs.Respond = (_, _) => (412, """{"error":{"code":"PreconditionFailed","message":"Repeatability first sent header not within 5 minute window."}}""");
        var error = await Assert.ThrowsAsync<AcsSmsSendException>(
            () => Sender(acs).SendAsync(Message(), DateTimeOffset.UtcNow.AddMinutes(-30), CancellationToken.None));
        Assert.Equal(412, error.Status);
        Assert.True(error.RepeatabilityRefused);
        Assert.Single(acs.Requests);

        await using var perRecipient = await LoopbackAcs.StartAsync();
        perRecipient.Respond = (_, _) => (202, """{"value":[{"to":"+8613905710002","httpStatusCode":412,"repeatabilityResult":"rejected","successful":false}]}""");
        var rejected = await Assert.ThrowsAsync<AcsSmsSendException>(() => Sender(perRecipient).SendAsync(Message(), CancellationToken.None));
        Assert.True(rejected.RepeatabilityRefused);
    }

    [Fact]
    public async Task A_202_without_exactly_one_recipient_result_is_not_taken_as_sent()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        acs.Respond = (_, _) => (202, """{"value":[]}""");
        await Assert.ThrowsAsync<AcsSmsSendException>(() => Sender(acs).SendAsync(Message(), CancellationToken.None));
    }

    [Fact]
    public async Task Entra_ID_sends_a_bearer_token_for_the_communication_scope_and_no_HMAC()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        var credential = new RecordingCredential();
        var options = new AcsSmsClientOptions { Transport = acs.Transport() };
        var sender = new AcsSmsSender(AcsSmsConnection.FromCredential(acs.Endpoint, credential), From, options);

        await sender.SendAsync(Message(), CancellationToken.None);

        var request = Assert.Single(acs.Requests);
        Assert.Equal("Bearer token-for-acs", request.Header("Authorization"));
        Assert.Equal("", request.Header("x-ms-content-sha256"));
        Assert.Equal(["https://communication.azure.com/.default"], credential.Scopes.Distinct());
    }

    [Fact]
    public async Task Pipeline_diagnostics_never_see_the_number_or_the_text_even_when_content_logging_was_asked_for()
    {
        await using var acs = await LoopbackAcs.StartAsync();
        var text = "【12345】日志探针 " + Guid.NewGuid().ToString("N");
        var events = new ConcurrentQueue<string>();
        using (new AzureEventSourceListener((e, message) => events.Enqueue(message), EventLevel.Verbose))
        {
            var sender = Sender(acs, configure: o => o.Diagnostics.IsLoggingContentEnabled = true);
            await sender.SendAsync(Message(text: text), CancellationToken.None);
        }

        var log = string.Join("\n", events);
        Assert.Contains($"127.0.0.1:{acs.Port}/sms?api-version=2021-03-07", log, StringComparison.Ordinal);
        Assert.DoesNotContain(text[8..], log, StringComparison.Ordinal);
        Assert.DoesNotContain("13905710002", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", log, StringComparison.Ordinal);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public ConcurrentQueue<string> Scopes { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes)
            {
                Scopes.Enqueue(scope);
            }
            return new AccessToken("token-for-acs", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
