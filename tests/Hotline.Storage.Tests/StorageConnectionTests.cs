using System.Net;
using Azure.Identity;
using Hotline.Storage.Blobs;
using Hotline.Storage.Queues;
using Hotline.Storage.Tables;

namespace Hotline.Storage.Tests;

public sealed class StorageConnectionTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcw==";

    [Fact]
    public void Development_storage_means_azurite_on_its_default_ports_with_the_well_known_key()
    {
        var c = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", c.AccountName);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/", c.BlobEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1/", c.QueueEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1/", c.TableEndpoint.AbsoluteUri);
        Assert.Equal("devstoreaccount1", c.SharedKey?.AccountName);
        Assert.Equal(
            new StorageSharedKey("devstoreaccount1", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==").Sign("x"),
            c.SharedKey?.Sign("x"));
        Assert.Null(c.Credential);
    }

    [Fact]
    public void Account_name_and_key_build_https_endpoints_from_the_suffix()
    {
        var c = StorageConnection.Parse($"DefaultEndpointsProtocol=https;AccountName=hotline12345;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal("hotline12345", c.AccountName);
        Assert.Equal("https://hotline12345.blob.core.chinacloudapi.cn/", c.BlobEndpoint.AbsoluteUri);
        Assert.Equal("https://hotline12345.queue.core.chinacloudapi.cn/", c.QueueEndpoint.AbsoluteUri);
        Assert.Equal("https://hotline12345.table.core.chinacloudapi.cn/", c.TableEndpoint.AbsoluteUri);
        Assert.Equal(new StorageSharedKey("hotline12345", Key).Sign("x"), c.SharedKey?.Sign("x"));
    }

    [Fact]
    public void Defaults_are_https_and_core_windows_net_and_keys_are_case_insensitive()
    {
        var c = StorageConnection.Parse($" accountname = acct ; ACCOUNTKEY={Key};; ");

        Assert.Equal("https://acct.blob.core.windows.net/", c.BlobEndpoint.AbsoluteUri);
        Assert.Equal("acct", c.AccountName);
    }

    [Fact]
    public void Explicit_path_style_endpoints_give_the_account_from_the_path()
    {
        var c = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=http;AccountKey={Key};BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1;" +
            "QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1;TableEndpoint=http://127.0.0.1:41002/devstoreaccount1;");

        Assert.Equal("devstoreaccount1", c.AccountName);
        Assert.Equal("http://127.0.0.1:41000/devstoreaccount1/", c.BlobEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:41001/devstoreaccount1/", c.QueueEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:41002/devstoreaccount1/", c.TableEndpoint.AbsoluteUri);
    }

    [Fact]
    public void An_explicit_endpoint_overrides_one_service_only()
    {
        var c = StorageConnection.Parse($"AccountName=acct;AccountKey={Key};TableEndpoint=https://tables.example.net/");

        Assert.Equal("https://tables.example.net/", c.TableEndpoint.AbsoluteUri);
        Assert.Equal("https://acct.blob.core.windows.net/", c.BlobEndpoint.AbsoluteUri);
        Assert.Equal("acct", c.AccountName);
    }

    [Theory]
    [InlineData("AccountName=acct")]
    [InlineData("AccountKey=c2VjcmV0")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net/;AccountKey=c2VjcmV0")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0;DefaultEndpointsProtocol=ftp")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0;BlobEndpoint=not a uri")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2020&sig=abc")]
    [InlineData("justgarbage")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://proxy")]
    public void Unusable_connection_strings_are_rejected(string connectionString)
    {
        Assert.Throws<FormatException>(() => StorageConnection.Parse(connectionString));
    }

    [Fact]
    public void A_bad_key_is_reported_without_echoing_it()
    {
        var e = Assert.Throws<FormatException>(() => StorageConnection.Parse("AccountName=acct;AccountKey=top%secret!"));

        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_with_a_connection_string_use_it()
    {
        var c = StorageConnection.FromSettings([new("AzureWebJobsStorage", "UseDevelopmentStorage=true")]);

        Assert.Equal("devstoreaccount1", c.AccountName);
        Assert.NotNull(c.SharedKey);
    }

    [Fact]
    public void Settings_with_an_account_name_and_managed_identity_use_a_managed_identity_credential()
    {
        var c = StorageConnection.FromSettings(
        [
            new("AzureWebJobsStorage__accountName", "hotlineprod"),
            new("AzureWebJobsStorage__credential", "managedidentity"),
            new("AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000001"),
            new("Unrelated", "x"),
        ]);

        Assert.Equal("hotlineprod", c.AccountName);
        Assert.Equal("https://hotlineprod.blob.core.windows.net/", c.BlobEndpoint.AbsoluteUri);
        Assert.Equal("https://hotlineprod.queue.core.windows.net/", c.QueueEndpoint.AbsoluteUri);
        Assert.Equal("https://hotlineprod.table.core.windows.net/", c.TableEndpoint.AbsoluteUri);
        Assert.Null(c.SharedKey);
        Assert.IsType<ManagedIdentityCredential>(c.Credential);
    }

    [Fact]
    public void Settings_with_colons_and_service_uris_and_no_credential_kind_use_the_default_credential()
    {
        var c = StorageConnection.FromSettings(
        [
            new("Storage:blobServiceUri", "https://hotlineprod.blob.core.chinacloudapi.cn"),
            new("Storage:queueServiceUri", "https://hotlineprod.queue.core.chinacloudapi.cn"),
            new("Storage:tableServiceUri", "https://hotlineprod.table.core.chinacloudapi.cn"),
        ], "Storage");

        Assert.Equal("hotlineprod", c.AccountName);
        Assert.Equal("https://hotlineprod.table.core.chinacloudapi.cn/", c.TableEndpoint.AbsoluteUri);
        Assert.IsType<DefaultAzureCredential>(c.Credential);
    }

    [Fact]
    public void Missing_settings_say_what_to_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromSettings([new("AzureWebJobsStorage", "")]));

        Assert.Contains("AzureWebJobsStorage__accountName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_client_authenticates_with_a_bearer_token_when_given_a_credential()
    {
        using var transport = new FakeHandler(request => request.Uri.Host.Split('.')[1] switch
        {
            "table" => FakeHandler.Respond(HttpStatusCode.OK, "{\"value\":[]}", "application/json"),
            "queue" => FakeHandler.Respond(HttpStatusCode.OK, "<QueueMessagesList />"),
            _ => FakeHandler.Respond(HttpStatusCode.OK, "<EnumerationResults><Blobs /></EnumerationResults>"),
        });
        var credential = new FakeCredential();
        var connection = StorageConnection.FromCredential("hotlineprod", credential);

        await new TableClient(connection, "matters", transport.Options()).QueryPageAsync();
        await new QueueClient(connection, "alarms", transport.Options()).ReceiveMessagesAsync();
        await new BlobContainerClient(connection, "evidence", transport.Options()).ListAsync().ToListAsync();

        Assert.Equal(3, transport.Requests.Count);
        Assert.All(transport.Requests, r =>
        {
            Assert.Equal("Bearer test-token", r.Headers["Authorization"]);
            Assert.Equal(StorageClientOptions.ServiceVersion, r.Headers["x-ms-version"]);
            Assert.True(r.Headers.ContainsKey("x-ms-date"));
        });
        Assert.Equal(
            ["https://hotlineprod.table.core.windows.net/matters()", "https://hotlineprod.queue.core.windows.net/alarms/messages", "https://hotlineprod.blob.core.windows.net/evidence"],
            transport.Requests.Select(r => r.Uri.GetLeftPart(UriPartial.Path)));
        Assert.All(credential.Scopes, s => Assert.Equal("https://storage.azure.com/.default", s));
    }
}
