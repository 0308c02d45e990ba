using Hotline.Runtime.Sms;

namespace Hotline.Sms.Tests;

/// <summary>The small pieces: connection strings, phone numbers, name-based ids, the Host value that is signed.</summary>
public sealed class AcsPartsTests
{
    private const string Key = "c2VjcmV0LWtleS1vZi1hLXRlc3QtcmVzb3VyY2UtMDEyMzQ1Njc4OQ==";

    [Theory]
    [InlineData("endpoint=https://hotline.communication.azure.com/;accesskey=" + Key)]
    [InlineData("Endpoint=https://hotline.communication.azure.com;AccessKey=" + Key + ";")]
    public void A_portal_connection_string_parses_to_an_endpoint_with_a_trailing_slash_and_a_key(string connectionString)
    {
        var connection = AcsSmsConnection.Parse(connectionString);
        Assert.Equal(new Uri("https://hotline.communication.azure.com/"), connection.Endpoint);
        Assert.True(connection.UsesAccessKey);
        Assert.DoesNotContain(Key, connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endpoint=https://hotline.communication.azure.com/")]
    [InlineData("accesskey=" + Key)]
    [InlineData("endpoint=http://hotline.communication.azure.com/;accesskey=" + Key)]
    [InlineData("endpoint=hotline.communication.azure.com;accesskey=" + Key)]
    [InlineData("endpoint=https://hotline.communication.azure.com/;accesskey=%%" + Key)]
    public void A_bad_connection_string_is_refused_without_repeating_the_key(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => AcsSmsConnection.Parse(connectionString));
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("13905710001", "+8613905710001")]
    [InlineData("139 0571 0001", "+8613905710001")]
    [InlineData("+86 139-0571-0001", "+8613905710001")]
    [InlineData("008613905710001", "+8613905710001")]
    [InlineData("+14255550123", "+14255550123")]
    public void Recipients_are_sent_in_E164(string number, string e164) =>
        Assert.Equal(e164, AcsPhoneNumbers.ToE164(number));

    [Theory]
    [InlineData("0571-87654321")]
    [InlineData("12345")]
    [InlineData("23905710001")]
    [InlineData("+0086139057100")]
    [InlineData("+86139057100012345")]
    public void A_number_that_cannot_take_SMS_is_refused_without_being_repeated(string number)
    {
        var error = Assert.Throws<ArgumentException>(() => AcsPhoneNumbers.ToE164(number));
        Assert.DoesNotContain(number, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_based_ids_follow_RFC_9562_version_5()
    {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), AcsRepeatability.NameBasedUuid(dns, "www.example.com"));
        Assert.Equal(AcsRepeatability.RequestId("M-1-e1"), AcsRepeatability.RequestId("M-1-e1"));
        Assert.NotEqual(AcsRepeatability.RequestId("M-1-e1"), AcsRepeatability.RequestId("M-1-e2"));
    }

    [Theory]
    [InlineData("https://hotline.communication.azure.com/sms", "hotline.communication.azure.com")]
    [InlineData("https://hotline.communication.azure.com:443/sms", "hotline.communication.azure.com")]
    [InlineData("https://127.0.0.1:8443/sms", "127.0.0.1:8443")]
    [InlineData("http://localhost:80/sms", "localhost")]
    [InlineData("https://[::1]:8443/sms", "[::1]:8443")]
    public void The_signed_host_carries_the_port_only_when_it_is_not_the_default(string uri, string host) =>
        Assert.Equal(host, AcsHmacAuthenticationPolicy.HostHeader(new Uri(uri)));
}
