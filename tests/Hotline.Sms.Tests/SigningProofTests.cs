using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hotline.Runtime.Sms;

namespace Hotline.Sms.Tests;

/// <summary>
/// The issue's proof: the official JavaScript SDK and <see cref="AcsSmsSender"/> send to the same loopback listener,
/// and one verifier, written from the documented scheme, accepts both and rejects tampered copies.
/// </summary>
public sealed class SigningProofTests
{
    private const string From = "+18005550100";
    private const string Phone = "13905710001";
    private const string Text = "【12345】工单 M-2026-000123 已派发给您单位，请在 2 小时内签收：https://h.example/o/AbC123";

    [Fact]
    public async Task Official_JavaScript_SDK_and_AcsSmsSender_pass_the_same_HMAC_verifier_and_tampering_fails_it()
    {
        var key = RandomNumberGenerator.GetBytes(64);
        var message = new SmsMessage(Phone, Text, "M-2026-000123-e7", "M-2026-000123", "Assigned");
        await using var acs = await LoopbackAcs.StartAsync();
        var cs = $"endpoint={acs.Endpoint};accesskey={Convert.ToBase64String(key)}";

        var js = await JavaScriptSdk.SendAsync(cs, From, "+86" + Phone, Text, AcsSmsSender.Tag(message), acs.CertificatePemPath,
            AcsRepeatability.Namespace, message.RepeatabilityKey);
        var sender = new AcsSmsSender(AcsSmsConnection.Parse(cs), From, new AcsSmsClientOptions { Transport = acs.Transport() });
        var receipt = await sender.SendAsync(message, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(js.Results[0].GetProperty("successful").GetBoolean(), "the SDK read the listener's answer as a success");
        Assert.NotNull(receipt.MessageId);
        var requests = acs.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var (fromJs, fromCs) = (requests[0], requests[1]);
        Assert.StartsWith("azsdk-js-communication-sms/", fromJs.Header("User-Agent"), StringComparison.Ordinal);

        var verifier = new AcsHmacVerifier(key);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(new Verdict(true, "signature matches"), verifier.Verify(fromJs, now));
        Assert.Equal(new Verdict(true, "signature matches"), verifier.Verify(fromCs, now));

        // Same wire contract: verb, target, signed header list, and a Host that carries the non-default port.
        foreach (var request in requests)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("/sms?api-version=2021-03-07", request.PathAndQuery);
            Assert.Equal($"127.0.0.1:{acs.Port}", request.Header("Host"));
            Assert.StartsWith("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=", request.Header("Authorization"), StringComparison.Ordinal);
            Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        }

        // Tampering: each copy must fail the same verifier that accepted the original.
        foreach (var request in requests)
        {
            var body = System.Text.Encoding.UTF8.GetString(request.Body);
            var changedBody = request.WithBody(body.Replace("2 小时", "20 小时", StringComparison.Ordinal));
            Assert.Equal("x-ms-content-sha256 does not match the body", verifier.Verify(changedBody, now).Reason);

            // A tamperer who also fixes up the content hash still cannot produce the signature.
            var rehashed = changedBody.WithHeader("x-ms-content-sha256", Convert.ToBase64String(SHA256.HashData(changedBody.Body)));
            Assert.Equal(new Verdict(false, "signature does not match"), verifier.Verify(rehashed, now));

            var date = DateTimeOffset.ParseExact(request.Header("x-ms-date"), "R", CultureInfo.InvariantCulture);
            var redated = request.WithHeader("x-ms-date", date.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture));
            Assert.Equal(new Verdict(false, "signature does not match"), verifier.Verify(redated, now));

            var otherHost = request.WithHeader("Host", "127.0.0.1");
            Assert.Equal(new Verdict(false, "signature does not match"), verifier.Verify(otherHost, now));

            Assert.Equal(new Verdict(false, "signature does not match"), new AcsHmacVerifier(RandomNumberGenerator.GetBytes(64)).Verify(request, now));
            Assert.False(verifier.Verify(request, now.AddMinutes(20)).Accepted, "a replay 20 minutes later is stale");
        }

        // Same body shape as the SDK: the same fields at every level, the same values where they are not per-send.
        JsonElement jsBody = fromJs.Json(), csBody = fromCs.Json();
        Assert.Equal(Names(jsBody), Names(csBody));
        Assert.Equal(["from", "message", "smsRecipients", "smsSendOptions"], Names(csBody));
        JsonElement jsRecipient = jsBody.GetProperty("smsRecipients").EnumerateArray().Single(),
            csRecipient = csBody.GetProperty("smsRecipients").EnumerateArray().Single();
        Assert.Equal(Names(jsRecipient), Names(csRecipient));
        Assert.Equal(["repeatabilityFirstSent", "repeatabilityRequestId", "to"], Names(csRecipient));
        Assert.Equal(Names(jsBody.GetProperty("smsSendOptions")), Names(csBody.GetProperty("smsSendOptions")));
        foreach (var (body, recipient) in new[] { (jsBody, jsRecipient), (csBody, csRecipient) })
        {
            Assert.Equal(From, body.GetProperty("from").GetString());
            Assert.Equal(Text, body.GetProperty("message").GetString());
            Assert.Equal("+8613905710001", recipient.GetProperty("to").GetString());
            Assert.True(Guid.TryParseExact(recipient.GetProperty("repeatabilityRequestId").GetString(), "D", out _));
            Assert.True(DateTimeOffset.TryParseExact(recipient.GetProperty("repeatabilityFirstSent").GetString(), "R", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out _));
            Assert.True(body.GetProperty("smsSendOptions").GetProperty("enableDeliveryReport").GetBoolean());
            Assert.Equal("M-2026-000123/Assigned", body.GetProperty("smsSendOptions").GetProperty("tag").GetString());
        }

        // The repeatability id is the RFC 9562 version-5 UUID of the key, as the `uuid` package computes it.
        Assert.Equal(js.UuidV5, Guid.Parse(csRecipient.GetProperty("repeatabilityRequestId").GetString()!));
        Assert.Equal(js.UuidV5, receipt.RepeatabilityRequestId);
    }

    private static string[] Names(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
