using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Hotline.Runtime.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Runtime.Tests.Storage;

/// <summary>The storage connection is read from the settings a Function App uses, and the SDK clients follow it.</summary>
public sealed class StorageAccountTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static (TableServiceClient Tables, BlobServiceClient Blobs) Clients(StorageAccount account)
    {
        using var services = new ServiceCollection().AddLogging().AddHotlineStorage(account).BuildServiceProvider();
        return (services.GetRequiredService<TableServiceClient>(), services.GetRequiredService<BlobServiceClient>());
    }

    [Fact]
    public void A_connection_string_reaches_the_account_with_its_key()
    {
        var account = StorageAccount.FromConfiguration(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.Equal("UseDevelopmentStorage=true", account.ConnectionString);
        var (tables, blobs) = Clients(account);
        Assert.Equal("devstoreaccount1", tables.AccountName);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", blobs.Uri.AbsoluteUri.TrimEnd('/'));
        Assert.True(blobs.CanGenerateAccountSasUri);
    }

    [Fact]
    public void An_account_name_with_managed_identity_uses_a_managed_identity_credential_and_no_key()
    {
        var account = StorageAccount.FromConfiguration(Settings(
            ("AzureWebJobsStorage:accountName", "hotlineprod"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Null(account.ConnectionString);
        Assert.Equal("https://hotlineprod.table.core.windows.net/", account.TableServiceUri!.AbsoluteUri);
        Assert.Equal("https://hotlineprod.blob.core.windows.net/", account.BlobServiceUri!.AbsoluteUri);
        Assert.IsType<ManagedIdentityCredential>(account.Credential);
        var (tables, blobs) = Clients(account);
        Assert.Equal("hotlineprod", tables.AccountName);
        Assert.Equal("hotlineprod", blobs.AccountName);
        Assert.False(blobs.CanGenerateAccountSasUri); // evidence links are user-delegation SAS here
    }

    [Fact]
    public void Service_uris_without_a_credential_kind_use_the_default_credential()
    {
        var account = StorageAccount.FromConfiguration(Settings(
            ("Storage:tableServiceUri", "https://hotlineprod.table.core.chinacloudapi.cn"),
            ("Storage:blobServiceUri", "https://hotlineprod.blob.core.chinacloudapi.cn")), "Storage");

        Assert.Equal("hotlineprod.table.core.chinacloudapi.cn", account.TableServiceUri!.Host);
        Assert.IsType<DefaultAzureCredential>(account.Credential);
    }

    [Fact]
    public void Missing_settings_say_what_to_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => StorageAccount.FromConfiguration(Settings(("AzureWebJobsStorage", ""))));

        Assert.Contains("AzureWebJobsStorage__accountName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_description_names_no_key()
    {
        var account = StorageAccount.FromConnectionString("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0c2VjcmV0");

        Assert.DoesNotContain("c2VjcmV0", account.ToString(), StringComparison.Ordinal);
    }
}
